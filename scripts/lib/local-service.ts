// Runs the whole service on this machine: local D1 migrations, the demo seed, `wrangler dev`
// (workerd with D1, R2, Durable Objects and Queues on disk), the SMTP ingress, and a DNS
// resolver of its own (DOH_URL, records in STATE/dns.json) so domain setup needs no Internet.
// Used by `npm start`, the end-to-end tests and the benchmarks.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SMTPServer } from "smtp-server";
import { DEMO_DNS, demoSeedSql } from "./demo-tenant";
import { type Downstream, startDownstream } from "./downstream";
import { type FakeDoh, startFakeDoh } from "./fake-doh";
import { freePort } from "./ports";
import { startSmtpIngress } from "./smtp-ingress";

export const ROOT = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

export interface LocalOptions {
	port: number;
	smtpPort: number;
	/** globex.test's mail server (the healthy demo customer); default: any free port. */
	globexPort?: number;
	/** Where DSNs and outbound mail go locally (OUTBOUND_SMTP); default: any free port. */
	outboxPort?: number;
	/** Where D1, R2 and Durable Object state live; keep it to keep the spool across restarts. */
	stateDir: string;
	/** The local DNS-over-HTTPS resolver (records in STATE/dns.json); default: any free port. */
	dnsPort?: number;
	log?: (line: string) => void;
	/** Pipe wrangler's own output through `log` (npm start) or keep it quiet (tests). */
	verbose?: boolean;
}

export interface LocalService {
	url: string;
	smtpPort: number;
	globex: Downstream;
	outbox: Downstream;
	/** The resolver the worker asks (DOH_URL): `dns.set(name, type, values)` publishes records. */
	dns: FakeDoh;
	/** `wrangler dev`'s process, the leader of its group (workerd included): benchmarks read its CPU time. */
	workerPid: number | undefined;
	stop(): Promise<void>;
}

function run(cmd: string, args: string[], quiet: boolean): Promise<void> {
	return new Promise((ok, fail) => {
		const child = spawn(cmd, args, { cwd: ROOT, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit", env: { ...process.env, CI: "1" } });
		let output = "";
		child.stdout?.on("data", (d) => (output += d));
		child.stderr?.on("data", (d) => (output += d));
		child.on("error", fail);
		child.on("exit", (code) => (code === 0 ? ok() : fail(new Error(`${cmd} ${args.join(" ")} exited ${code}\n${output}`))));
	});
}

/** The local CREDENTIALS_KEY, made once per state folder so sealed secrets stay readable. */
function credentialsKey(stateDir: string): string {
	const file = join(stateDir, "credentials-key");
	if (!existsSync(file)) {
		mkdirSync(stateDir, { recursive: true });
		writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
	}
	return readFileSync(file, "utf8").trim();
}

async function waitForWorker(url: string, child: ChildProcess, deadline: number): Promise<void> {
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
		const res = await fetch(`${url}/api/session`).catch(() => null);
		if (res?.status === 401) return;
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`wrangler dev did not answer on ${url} in time`);
}

export async function startLocal(options: LocalOptions): Promise<LocalService> {
	const log = options.log ?? (() => {});
	const quiet = !options.verbose;
	if (!existsSync(join(ROOT, "dist/client/index.html"))) {
		log("building the web app (dist/client)…");
		await run(bin("vite"), ["build", "--logLevel", "warn"], quiet);
	}
	const globex = await startDownstream({
		port: options.globexPort ?? (await freePort()),
		dir: join(options.stateDir, "downstream", "globex.test"),
		name: "mx.globex.test",
		log,
	});
	const outbox = await startDownstream({
		port: options.outboxPort ?? (await freePort()),
		dir: join(options.stateDir, "outbox"),
		name: "outbox.local",
		log,
	});
	const dns = await startFakeDoh({
		port: options.dnsPort ?? (await freePort()),
		file: join(options.stateDir, "dns.json"),
		seed: DEMO_DNS,
	});
	const closeSinks = () => Promise.all([globex.close(), outbox.close(), dns.close()]);

	const persist = ["--local", "--persist-to", options.stateDir];
	const url = `http://127.0.0.1:${options.port}`;
	const vars = {
		ENVIRONMENT: "local",
		PUBLIC_URL: url,
		OUTBOUND_SMTP: `127.0.0.1:${outbox.port}`,
		CREDENTIALS_KEY: credentialsKey(options.stateDir),
		DOH_URL: dns.url,
	};
	let worker: ChildProcess | undefined;
	const stopWorker = () => {
		if (worker && worker.exitCode === null && worker.pid) process.kill(-worker.pid, "SIGTERM");
	};
	let ingress: SMTPServer | undefined;
	try {
		log("applying D1 migrations…");
		await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", ...persist], quiet);
		log("seeding the demo tenant…");
		const seedFile = join(mkdtempSync(join(tmpdir(), "ei-seed-")), "seed.sql");
		writeFileSync(seedFile, await demoSeedSql(globex.port, Date.now(), vars.CREDENTIALS_KEY));
		await run(bin("wrangler"), ["d1", "execute", "DB", ...persist, "--file", seedFile], quiet);

		const args = [
			"dev",
			"--ip",
			"127.0.0.1",
			"--port",
			String(options.port),
			"--persist-to",
			options.stateDir,
			"--show-interactive-dev-session=false",
		];
		for (const [k, v] of Object.entries(vars)) args.push("--var", `${k}:${v}`);
		worker = spawn(bin("wrangler"), args, {
			cwd: ROOT,
			stdio: ["ignore", "pipe", "pipe"],
			env: { ...process.env, CI: "1" },
			detached: true,
		});
		const forward = (d: Buffer) => {
			if (!quiet) for (const line of d.toString().split("\n")) if (line.trim()) log(`[worker] ${line}`);
		};
		worker.stdout?.on("data", forward);
		worker.stderr?.on("data", forward);
		await waitForWorker(url, worker, Date.now() + 90_000);
		ingress = await startSmtpIngress({ workerUrl: url, port: options.smtpPort, log });
	} catch (err) {
		stopWorker();
		await closeSinks();
		throw err;
	}
	const running = worker;
	return {
		url,
		smtpPort: options.smtpPort,
		globex,
		outbox,
		dns,
		workerPid: running.pid,
		async stop() {
			await new Promise<void>((r) => (ingress ? ingress.close(() => r()) : r()));
			await closeSinks();
			stopWorker();
			await new Promise<void>((r) => (running.exitCode !== null ? r() : running.once("exit", () => r())));
		},
	};
}
