// npm run bench:ingest — corpus messages into the local service, two ways, beside the floor.
//   floor:    postal-mime parsing the same bytes in plain Node (the least any ingest must do)
//   endpoint: wrangler's local Email Routing endpoint → our email() handler (R2 + D1 + DO)
//   smtp:     a plain SMTP client → our SMTP ingress → the same endpoint
// Sequential, one message in flight, so latency is per message. Then the concurrency mode:
// the endpoint path with 1 and 4 senders at once (BENCH_CONCURRENCY=1,4 by default), and
// beside it, in the same run, two floors on the same wrangler: the null worker
// (bench/null-worker: email() only reads message.raw), so ours reads as a fraction of what the
// endpoint allows, and the storage floor (bench/storage-floor: the body to R2, a row to D1 and
// a row in a Durable Object, nothing else), so what is ours and what is local storage shows.
// Machines here are shared and noisy: read the ratios measured in the same run, not the
// absolute numbers.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import PostalMime from "postal-mime";
import { ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { busiestThreadMs, groupCpuMs, threadCpuMs } from "./lib/cpu";
import { type FloorWorker, startFloorWorker } from "./lib/floor-worker";
import { printTable, type Run, summarize } from "./lib/stats";

const N = Number(process.env.BENCH_N || 300);
const LEVELS = (process.env.BENCH_CONCURRENCY || "1,4")
	.split(",")
	.map(Number)
	.filter((c) => Number.isInteger(c) && c > 0);

function listFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? listFiles(path) : [path];
	});
}

// Email Routing refuses mail without a Message-ID, and so does the local endpoint: bench
// the messages that would reach a worker in production.
async function loadCorpus(): Promise<Buffer[]> {
	const usable: Buffer[] = [];
	for (const path of listFiles(join(ROOT, "test/fixtures/eml")).sort()) {
		if (/\.json$|COPYING$|\.gitattributes$/.test(path)) continue;
		const raw = readFileSync(path);
		try {
			const parsed = await PostalMime.parse(raw);
			if (parsed.messageId && parsed.from?.address) usable.push(raw);
		} catch {
			// skipped: the endpoint would refuse it before our worker runs
		}
	}
	return usable;
}

async function timed(name: string, messages: Buffer[], send: (raw: Buffer, i: number) => Promise<void>): Promise<Run> {
	const latenciesMs: number[] = [];
	const start = performance.now();
	for (let i = 0; i < N; i++) {
		const raw = messages[i % messages.length] as Buffer;
		const t = performance.now();
		await send(raw, i);
		latenciesMs.push(performance.now() - t);
	}
	return { name, count: N, totalMs: performance.now() - start, latenciesMs };
}

/** N sends in all, `concurrency` of them in flight at any time. */
async function timedConcurrent(
	name: string,
	messages: Buffer[],
	concurrency: number,
	send: (raw: Buffer, i: number) => Promise<void>,
): Promise<Run> {
	const latenciesMs: number[] = [];
	let next = 0;
	const start = performance.now();
	const sender = async () => {
		for (let i = next++; i < N; i = next++) {
			const t = performance.now();
			await send(messages[i % messages.length] as Buffer, i);
			latenciesMs.push(performance.now() - t);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, sender));
	return { name, count: N, totalMs: performance.now() - start, latenciesMs };
}

const corpus = await loadCorpus();
const bytes = corpus.reduce((s, m) => s + m.byteLength, 0);
console.log(`corpus: ${corpus.length} messages with a Message-ID (${(bytes / 1024).toFixed(0)} KiB); ${N} sends per path`);

const service = await startLocal({
	port: await freePort(),
	smtpPort: await freePort(),
	stateDir: mkdtempSync(join(tmpdir(), "ei-bench-")),
});
let nullWorker: FloorWorker | undefined;
let storageFloor: FloorWorker | undefined;
let failures = 0;
const fail = (why: string) => {
	if (failures++ < 5) console.error(`  failed: ${why}`);
};
const runId = Date.now().toString(36);
async function viaEndpoint(raw: Buffer, to: string, base = service.url): Promise<Response> {
	const url = new URL("/cdn-cgi/handler/email", base);
	url.searchParams.set("from", "bench@example.org");
	url.searchParams.set("to", to);
	url.searchParams.set("format", "json");
	return fetch(url, { method: "POST", body: new Uint8Array(raw) });
}
try {
	// Admission pass (untimed, also a warm-up): wrangler's endpoint runs its own older parser
	// and refuses some messages before our worker runs; keep those it hands to us.
	const admitted: Buffer[] = [];
	for (const [i, raw] of corpus.entries()) {
		const res = await viaEndpoint(raw, `alice+w${runId}${i}@acme.test`);
		if (res.status === 200 && !((await res.json()) as { rejectReason?: string }).rejectReason) admitted.push(raw);
		else await res.body?.cancel();
	}
	console.log(`admitted by wrangler's local endpoint: ${admitted.length} of ${corpus.length}`);

	const floor = await timed("floor: postal-mime parse (plain Node)", admitted, async (raw) => {
		await PostalMime.parse(raw);
	});
	const endpoint = await timed("ours: local email endpoint → email()", admitted, async (raw, i) => {
		// A distinct +tag per send: every send is a new message, not a deduplicated redelivery.
		const res = await viaEndpoint(raw, `alice+e${runId}${i}@acme.test`);
		const text = await res.text();
		if (res.status !== 200 || JSON.parse(text).rejectReason) fail(`endpoint ${res.status}: ${text.slice(0, 160)}`);
	});
	const transport = nodemailer.createTransport({
		host: "127.0.0.1",
		port: service.smtpPort,
		pool: true,
		maxConnections: 1,
		ignoreTLS: true,
	});
	const smtp = await timed("ours: SMTP client → ingress → email()", admitted, async (raw, i) => {
		await transport
			.sendMail({ envelope: { from: "bench@example.org", to: [`alice+s${runId}${i}@acme.test`] }, raw })
			.catch((err: Error) => fail(`smtp: ${err.message}`));
	});
	transport.close();

	const rows = [floor, endpoint, smtp].map(summarize);
	console.log("");
	printTable(rows, rows[0] as ReturnType<typeof summarize>);

	// Concurrency: ours and the two floors, level by level, one after the other in this run.
	nullWorker = await startFloorWorker("null-worker");
	storageFloor = await startFloorWorker("storage-floor");
	const targets = [
		{ key: "ours", url: service.url, pid: service.workerPid },
		{ key: "storage", url: storageFloor.url, pid: storageFloor.pid },
		{ key: "null", url: nullWorker.url, pid: nullWorker.pid },
	] as const;
	for (const t of targets.slice(1))
		for (const raw of admitted) {
			const res = await viaEndpoint(raw, "warm@acme.test", t.url); // warm-up, untimed
			await res.body?.cancel();
		}
	type Row = ReturnType<typeof summarize> & { cpuMsPerMsg: number; threadMsPerMsg: number; threadBusy: number };
	const concurrency: { level: number; ours: Row; storage: Row; null: Row; ratio: number; storageRatio: number }[] = [];
	// CPU per message of wrangler dev's whole process group (workerd: the worker, and the local
	// D1, R2, Durable Objects and queues it simulates), steadier than msg/s on a shared machine;
	// and of its busiest thread (workerd's), with the share of the run that thread was busy.
	const withCpu = async (pgid: number | undefined, run: () => Promise<Run>): Promise<Row> => {
		const [before, threads] = [groupCpuMs(pgid), threadCpuMs(pgid)];
		const r = await run();
		const busiest = busiestThreadMs(threads, threadCpuMs(pgid));
		return {
			...summarize(r),
			cpuMsPerMsg: (groupCpuMs(pgid) - before) / r.count,
			threadMsPerMsg: busiest / r.count,
			threadBusy: busiest / r.totalMs,
		};
	};
	for (const level of LEVELS) {
		const row = {} as Record<(typeof targets)[number]["key"], Row>;
		for (const t of targets)
			row[t.key] = await withCpu(t.pid, () =>
				timedConcurrent(`${t.key}: endpoint, c=${level}`, admitted, level, async (raw, i) => {
					const res = await viaEndpoint(raw, `alice+${t.key}${level}${runId}${i}@acme.test`, t.url);
					const text = await res.text();
					if (res.status !== 200 || JSON.parse(text).rejectReason) fail(`${t.key} c=${level} ${res.status}: ${text.slice(0, 160)}`);
				}),
			);
		concurrency.push({
			level,
			...row,
			ratio: row.ours.perSecond / row.null.perSecond,
			storageRatio: row.ours.perSecond / row.storage.perSecond,
		});
	}
	console.log("");
	const fmt = (n: number, d = 1) => n.toFixed(d).padStart(10);
	console.log(
		`${"".padEnd(22)}${"msg/s".padStart(10)}${"p50 ms".padStart(10)}${"CPU ms".padStart(10)}${"workerd ms".padStart(12)}${"busy".padStart(8)}`,
	);
	for (const c of concurrency)
		for (const [name, r] of [
			["ours", c.ours],
			["storage floor", c.storage],
			["null worker", c.null],
		] as const)
			console.log(
				`${`c=${c.level} ${name}`.padEnd(22)}${fmt(r.perSecond)}${fmt(r.p50)}${fmt(r.cpuMsPerMsg)}${fmt(r.threadMsPerMsg).padStart(12)}${`${(r.threadBusy * 100).toFixed(0)}%`.padStart(8)}`,
			);
	console.log("(per message: CPU of wrangler dev's process group, and of its busiest thread, workerd's, busy that share of the run)");
	for (const c of concurrency)
		console.log(
			`c=${c.level}: ours/null ${c.ratio.toFixed(2)}×, ours/storage floor ${c.storageRatio.toFixed(2)}×, storage floor/null ${(c.storage.perSecond / c.null.perSecond).toFixed(2)}×`,
		);
	const [lo, hi] = [concurrency[0], concurrency.at(-1)];
	if (lo && hi && hi !== lo)
		console.log(
			`ours c=${hi.level}/c=${lo.level}: ${(hi.ours.perSecond / lo.ours.perSecond).toFixed(2)}×; null c=${hi.level}/c=${lo.level}: ${(hi.null.perSecond / lo.null.perSecond).toFixed(2)}×`,
		);

	console.log(`\nrejected or failed sends: ${failures}`);
	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	const result = { at: new Date().toISOString(), n: N, corpus: corpus.length, admitted: admitted.length, rows, concurrency, failures };
	writeFileSync(join(ROOT, "bench/results/ingest.json"), JSON.stringify(result, null, 2));
} finally {
	await nullWorker?.stop();
	await storageFloor?.stop();
	await service.stop();
}
if (failures > 0) process.exitCode = 1;
