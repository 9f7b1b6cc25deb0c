// Starts a floor worker with `wrangler dev` from this repository's node_modules, the same wrangler
// and workerd as ours: bench/null-worker (an email() handler that only reads message.raw) or
// bench/storage-floor (one that makes the three durable writes an accepted message needs).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../scripts/lib/local-service";
import { freePort } from "../../scripts/lib/ports";

export interface FloorWorker {
	url: string;
	/** `wrangler dev`'s process, the leader of its group (workerd included). */
	pid: number | undefined;
	stop(): Promise<void>;
}

export async function startFloorWorker(name: "null-worker" | "storage-floor"): Promise<FloorWorker> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const args = [
		"dev",
		"--config",
		join(ROOT, "bench", name, "wrangler.toml"),
		"--ip",
		"127.0.0.1",
		"--port",
		String(port),
		"--inspector-port",
		String(await freePort()),
		"--persist-to",
		mkdtempSync(join(tmpdir(), `ei-bench-${name}-`)),
		"--show-interactive-dev-session=false",
	];
	const child: ChildProcess = spawn(join(ROOT, "node_modules/.bin/wrangler"), args, {
		cwd: ROOT,
		stdio: ["ignore", "pipe", "pipe"],
		env: { ...process.env, CI: "1" },
		detached: true,
	});
	let output = "";
	child.stdout?.on("data", (d) => (output += d));
	child.stderr?.on("data", (d) => (output += d));
	const stop = async () => {
		if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
		await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once("exit", () => r())));
	};
	const deadline = Date.now() + 90_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`${name}: wrangler dev exited with ${child.exitCode}\n${output}`);
		const res = await fetch(url).catch(() => null);
		if (res?.ok) {
			await res.body?.cancel();
			return { url, pid: child.pid, stop };
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await stop();
	throw new Error(`${name} did not answer on ${url} in time\n${output}`);
}
