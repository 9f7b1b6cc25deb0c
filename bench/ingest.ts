// npm run bench:ingest — corpus messages into the local service, two ways, beside the floor.
//   floor:    postal-mime parsing the same bytes in plain Node (the least any ingest must do)
//   endpoint: wrangler's local Email Routing endpoint → our email() handler (R2 + D1 + DO)
//   smtp:     a plain SMTP client → our SMTP ingress → the same endpoint
// Sequential, one message in flight, so latency is per message. Machines here are shared and
// noisy: read the ratio to the floor measured in the same run, not the absolute numbers.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import PostalMime from "postal-mime";
import { ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { printTable, type Run, summarize } from "./lib/stats";

const N = Number(process.env.BENCH_N || 300);

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

const corpus = await loadCorpus();
const bytes = corpus.reduce((s, m) => s + m.byteLength, 0);
console.log(`corpus: ${corpus.length} messages with a Message-ID (${(bytes / 1024).toFixed(0)} KiB); ${N} sends per path`);

const service = await startLocal({
	port: await freePort(),
	smtpPort: await freePort(),
	stateDir: mkdtempSync(join(tmpdir(), "ei-bench-")),
});
let failures = 0;
const fail = (why: string) => {
	if (failures++ < 5) console.error(`  failed: ${why}`);
};
const runId = Date.now().toString(36);
async function viaEndpoint(raw: Buffer, to: string): Promise<Response> {
	const url = new URL("/cdn-cgi/handler/email", service.url);
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
	console.log(`\nrejected or failed sends: ${failures}`);
	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	const result = { at: new Date().toISOString(), n: N, corpus: corpus.length, admitted: admitted.length, rows, failures };
	writeFileSync(join(ROOT, "bench/results/ingest.json"), JSON.stringify(result, null, 2));
} finally {
	await service.stop();
}
if (failures > 0) process.exitCode = 1;
