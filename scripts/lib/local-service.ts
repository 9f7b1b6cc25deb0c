// Runs the whole service on this machine: local D1 migrations, the demo seed, `wrangler dev`
// (workerd with D1, R2, Durable Objects and Queues on disk) and the SMTP ingress.
// Used by `npm start`, the end-to-end tests and the benchmarks.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { SMTPServer } from "smtp-server";
import { demoSeedSql } from "./demo-tenant";
import { startSmtpIngress } from "./smtp-ingress";

export const ROOT = resolve(import.meta.dirname, "../..");
const bin = (name: string) => join(ROOT, "node_modules", ".bin", name);

export interface LocalOptions {
	port: number;
	smtpPort: number;
	/** Where D1, R2 and Durable Object state live; keep it to keep the spool across restarts. */
	stateDir: string;
	log?: (line: string) => void;
	/** Pipe wrangler's own output through `log` (npm start) or keep it quiet (tests). */
	verbose?: boolean;
}

export interface LocalService {
	url: string;
	smtpPort: number;
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
	const persist = ["--local", "--persist-to", options.stateDir];
	log("applying D1 migrations…");
	await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", ...persist], quiet);
	log("seeding the demo tenant…");
	const seedFile = join(mkdtempSync(join(tmpdir(), "ei-seed-")), "seed.sql");
	writeFileSync(seedFile, await demoSeedSql());
	await run(bin("wrangler"), ["d1", "execute", "DB", ...persist, "--file", seedFile], quiet);

	const url = `http://127.0.0.1:${options.port}`;
	const worker = spawn(
		bin("wrangler"),
		[
			"dev",
			"--ip",
			"127.0.0.1",
			"--port",
			String(options.port),
			"--persist-to",
			options.stateDir,
			"--var",
			"ENVIRONMENT:local",
			"--show-interactive-dev-session=false",
		],
		{ cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "1" }, detached: true },
	);
	const forward = (d: Buffer) => {
		if (!quiet) for (const line of d.toString().split("\n")) if (line.trim()) log(`[worker] ${line}`);
	};
	worker.stdout?.on("data", forward);
	worker.stderr?.on("data", forward);
	const stopWorker = () => {
		if (worker.exitCode === null && worker.pid) process.kill(-worker.pid, "SIGTERM");
	};
	let ingress: SMTPServer | undefined;
	try {
		await waitForWorker(url, worker, Date.now() + 90_000);
		ingress = await startSmtpIngress({ workerUrl: url, port: options.smtpPort, log });
	} catch (err) {
		stopWorker();
		throw err;
	}
	return {
		url,
		smtpPort: options.smtpPort,
		async stop() {
			await new Promise<void>((r) => (ingress ? ingress.close(() => r()) : r()));
			stopWorker();
			await new Promise<void>((r) => (worker.exitCode !== null ? r() : worker.once("exit", () => r())));
		},
	};
}
