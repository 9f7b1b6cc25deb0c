// npm run bench:ingest — corpus messages into the local service, two ways, beside the floor.
//   floor:    postal-mime parsing the same bytes in plain Node (the least any ingest must do)
//   endpoint: wrangler's local Email Routing endpoint → our email() handler (R2 + D1 + DO)
//   smtp:     a plain SMTP client → our SMTP ingress → the same endpoint
// Sequential, one message in flight, so latency is per message. Then the concurrency mode:
// the endpoint path with 1 and 4 senders at once (BENCH_CONCURRENCY=1,4 by default), and
// beside it, in the same run, a null worker (bench/null-worker: email() only reads
// message.raw) on the same wrangler, so ours reads as a fraction of what the endpoint allows.
// Machines here are shared and noisy: read the ratios measured in the same run, not the
// absolute numbers.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import PostalMime from "postal-mime";
import { ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { groupCpuMs } from "./lib/cpu";
import { type NullWorker, startNullWorker } from "./lib/null-worker";
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
let nullWorker: NullWorker | undefined;
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

	// Concurrency: ours and the null worker, level by level, one after the other in this run.
	nullWorker = await startNullWorker();
	const nullUrl = nullWorker.url;
	for (const raw of admitted) {
		const res = await viaEndpoint(raw, "null@acme.test", nullUrl); // warm-up, untimed
		await res.body?.cancel();
	}
	type Row = ReturnType<typeof summarize> & { cpuMsPerMsg: number };
	const concurrency: { level: number; ours: Row; null: Row; ratio: number }[] = [];
	// CPU per message of wrangler dev's whole process group (workerd: the worker, and the local
	// D1, R2, Durable Objects and queues it simulates), steadier than msg/s on a shared machine.
	const withCpu = async (pgid: number | undefined, run: () => Promise<Run>): Promise<Row> => {
		const before = groupCpuMs(pgid);
		const r = await run();
		return { ...summarize(r), cpuMsPerMsg: (groupCpuMs(pgid) - before) / r.count };
	};
	for (const level of LEVELS) {
		const o = await withCpu(service.workerPid, () =>
			timedConcurrent(`ours: endpoint, c=${level}`, admitted, level, async (raw, i) => {
				const res = await viaEndpoint(raw, `alice+c${level}${runId}${i}@acme.test`);
				const text = await res.text();
				if (res.status !== 200 || JSON.parse(text).rejectReason) fail(`endpoint c=${level} ${res.status}: ${text.slice(0, 160)}`);
			}),
		);
		const n = await withCpu(nullWorker.pid, () =>
			timedConcurrent(`null worker: endpoint, c=${level}`, admitted, level, async (raw, i) => {
				const res = await viaEndpoint(raw, `alice+n${level}${runId}${i}@acme.test`, nullUrl);
				const text = await res.text();
				if (res.status !== 200 || JSON.parse(text).rejectReason) fail(`null worker c=${level} ${res.status}: ${text.slice(0, 160)}`);
			}),
		);
		concurrency.push({ level, ours: o, null: n, ratio: o.perSecond / n.perSecond });
	}
	console.log("");
	const fmt = (n: number, d = 1) => n.toFixed(d).padStart(10);
	console.log(
		`${"concurrency".padEnd(14)}${"ours msg/s".padStart(12)}${"null msg/s".padStart(12)}${"ours/null".padStart(11)}${"ours p50".padStart(10)}${"null p50".padStart(10)}${"ours CPU".padStart(10)}${"null CPU".padStart(10)}`,
	);
	for (const c of concurrency)
		console.log(
			`${`c=${c.level}`.padEnd(14)}${fmt(c.ours.perSecond).padStart(12)}${fmt(c.null.perSecond).padStart(12)}${fmt(c.ratio, 2).padStart(11)}${fmt(c.ours.p50)}${fmt(c.null.p50)}${fmt(c.ours.cpuMsPerMsg)}${fmt(c.null.cpuMsPerMsg)}`,
		);
	console.log("(p50 and CPU in ms per message; CPU: wrangler dev's process group, workerd included)");
	const [lo, hi] = [concurrency[0], concurrency.at(-1)];
	if (lo && hi && hi !== lo)
		console.log(
			`ours c=${hi.level}/c=${lo.level}: ${(hi.ours.perSecond / lo.ours.perSecond).toFixed(2)}×; null c=${hi.level}/c=${lo.level}: ${(hi.null.perSecond / lo.null.perSecond).toFixed(2)}×; ours(c=${hi.level})/null(c=${hi.level}): ${hi.ratio.toFixed(2)}×`,
		);

	console.log(`\nrejected or failed sends: ${failures}`);
	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	const result = { at: new Date().toISOString(), n: N, corpus: corpus.length, admitted: admitted.length, rows, concurrency, failures };
	writeFileSync(join(ROOT, "bench/results/ingest.json"), JSON.stringify(result, null, 2));
} finally {
	await nullWorker?.stop();
	await service.stop();
}
if (failures > 0) process.exitCode = 1;
