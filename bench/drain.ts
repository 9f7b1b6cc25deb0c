// npm run bench:drain — held mail drained to a recovered server, beside the floor.
//   ours:  N messages held for acme.test (its server is down) → the admin points the domain at
//          a local SMTP sink and asks for a retry → the Durable Object drains the spool
//          through the delivery queue and our SMTP client
//   floor: nodemailer's pooled SMTP client sending the same N messages to the same kind of
//          sink with the same bounds (connections, messages per connection) and per-recipient
//          order kept (the least any relay must do)
// Timed from the retry request (ours) or the first send (floor) to the N-th message accepted
// by the sink. Machines here are shared and noisy: read the ratio to the floor measured in
// the same run, not the absolute numbers.
import { appendFileSync, mkdirSync, mkdtempSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { DEMO_PASSWORD } from "../scripts/lib/demo-tenant";
import { ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { rfc5322Date } from "../src/lib/rfc5322-date";
import { type Sink, startSink } from "./lib/sink";

const N = Number(process.env.BENCH_DRAIN_N || 1000);
const CONNECTIONS = Number(process.env.BENCH_DRAIN_CONNECTIONS || 2);
const PER_CONNECTION = Number(process.env.BENCH_DRAIN_PER_CONNECTION || 20);
const DRAIN_TIMEOUT_MS = Number(process.env.BENCH_DRAIN_TIMEOUT_S || 600) * 1000;
const FROM = "bench@example.org";
/** Alternating, so the drain has two recipients whose arrival order must each survive. */
const RECIPIENTS = ["alice@acme.test", "bob@acme.test"];
const DOMAIN_ID = "acme-test";
/** BENCH_DRAIN_LOG=file keeps wrangler's own output there, to see why a drain stalls. */
const LOG_FILE = process.env.BENCH_DRAIN_LOG;

interface BenchMessage {
	seq: number;
	to: string;
	messageId: string;
	raw: Buffer;
}

/** Seeded, so every run drains the same sizes and bodies and runs stay comparable. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = (
	"the quarterly figures are attached please review before our meeting on thursday we still need sign off " +
	"from finance and the regional leads about the budget for the new office and the supplier contract renewal " +
	"let me know if anything is missing or if the numbers look wrong to you thanks again for the quick turnaround"
).split(" ");

/** Plain-text mail of 1–20 KiB: the everyday traffic a recovering server is sent first. */
function buildMessages(runId: string): BenchMessage[] {
	const rand = prng(0x5eed);
	const pick = () => WORDS[Math.floor(rand() * WORDS.length)] as string;
	const date = rfc5322Date(new Date());
	return Array.from({ length: N }, (_, seq) => {
		const to = RECIPIENTS[seq % RECIPIENTS.length] as string;
		const messageId = `<drain-${runId}-${seq}@example.org>`;
		const target = 1024 + Math.floor(rand() * 19 * 1024);
		const head = [
			"From: Bench Sender <bench@example.org>",
			`To: <${to}>`,
			`Subject: Quarterly figures, part ${seq} [bench-drain ${String(seq).padStart(6, "0")}]`,
			`Date: ${date}`,
			`Message-ID: ${messageId}`,
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=utf-8",
			"Content-Transfer-Encoding: 7bit",
			"",
			"",
		].join("\r\n");
		const lines: string[] = [];
		let size = head.length;
		while (size < target) {
			let line = pick();
			while (line.length < 68) line += ` ${pick()}`;
			lines.push(line);
			size += line.length + 2;
		}
		return { seq, to, messageId, raw: Buffer.from(`${head}${lines.join("\r\n")}\r\n`) };
	});
}

interface Check {
	/** Distinct bench messages the sink accepted. */
	delivered: number;
	/** Extra copies of a Message-ID already accepted. */
	duplicates: number;
	/** A message accepted before an older one for the same recipient was. */
	orderViolations: number;
	missing: number;
	/** Envelope or bytes not what was sent (the relay may only prepend its Received header). */
	altered: number;
	/** When the N-th distinct message was accepted (performance.now()), or null. */
	lastAt: number | null;
}

function check(sink: Sink, sent: Map<string, BenchMessage>): Check {
	const seen = new Set<string>();
	const lastSeq = new Map<string, number>();
	let duplicates = 0;
	let orderViolations = 0;
	let altered = 0;
	let lastAt: number | null = null;
	for (const m of sink.messages) {
		const original = m.messageId ? sent.get(m.messageId) : undefined;
		if (!original) {
			altered++;
			continue;
		}
		if (seen.has(original.messageId)) {
			duplicates++;
			continue;
		}
		seen.add(original.messageId);
		if (seen.size === sent.size) lastAt = m.at;
		const envelopeOk = m.from === FROM && m.to.length === 1 && m.to[0] === original.to;
		const tail = m.raw.subarray(m.raw.length - original.raw.length);
		if (!envelopeOk || !tail.equals(original.raw)) altered++;
		const before = lastSeq.get(original.to) ?? -1;
		if (original.seq < before) orderViolations++;
		lastSeq.set(original.to, Math.max(before, original.seq));
	}
	return { delivered: seen.size, duplicates, orderViolations, missing: sent.size - seen.size, altered, lastAt };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const runId = Date.now().toString(36);
const messages = buildMessages(runId);
const byMessageId = new Map(messages.map((m) => [m.messageId, m]));
const bytes = messages.reduce((s, m) => s + m.raw.byteLength, 0);
console.log(
	`${N} messages, ${(bytes / 1024 / 1024).toFixed(1)} MiB (${(bytes / N / 1024).toFixed(1)} KiB average, 1–20 KiB), ` +
		`alternating ${RECIPIENTS.join(" / ")}; bounds: ${CONNECTIONS} connections, ${PER_CONNECTION} messages per connection`,
);

const service = await startLocal({
	port: await freePort(),
	smtpPort: await freePort(),
	stateDir: mkdtempSync(join(tmpdir(), "ei-bench-drain-")),
	...(LOG_FILE ? { verbose: true, log: (line: string) => appendFileSync(LOG_FILE, `${new Date().toISOString()} ${line}\n`) } : {}),
});
const sinks: Sink[] = [];
let ok = false;
// `wrangler dev` rebuilds and reloads the worker whenever src/ changes; a reload drops the
// local queue's in-flight batch, which then waits out its 15-minute lease and stalls the
// drain. Others may be editing src/ while this runs: notice it rather than blame the relay.
const edits: { at: string; file: string }[] = [];
const watcher = watch(join(ROOT, "src"), { recursive: true }, (_event, file) => {
	edits.push({ at: new Date().toISOString(), file: String(file) });
});
const editNote = () =>
	edits.length === 0
		? ""
		: `src/ changed during the run (${[...new Set(edits.map((e) => e.file))].slice(0, 3).join(", ")} at ${edits[0]?.at}): ` +
			"wrangler dev reloaded the worker, so a batch in flight may be lost until its 15-minute lease expires";
try {
	// ---- admin session ------------------------------------------------------------------
	const login = await fetch(`${service.url}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: "admin@acme.test", password: DEMO_PASSWORD }),
	});
	if (login.status !== 200) throw new Error(`sign-in as admin@acme.test: ${login.status} ${await login.text()}`);
	const cookie = (login.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
	async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
		const res = await fetch(`${service.url}/api/admin${path}`, {
			...init,
			headers: { Cookie: cookie, "Content-Type": "application/json" },
		});
		const text = await res.text();
		if (res.status !== 200) throw new Error(`${init.method ?? "GET"} /api/admin${path}: ${res.status} ${text.slice(0, 300)}`);
		return JSON.parse(text) as T;
	}
	interface DomainView {
		id: string;
		health: { state: string };
		counts: { spooled: number; deferred: number; delivered: number; bounced: number };
	}
	const acme = async () => {
		const { domains } = await admin<{ domains: DomainView[] }>("/domains");
		const d = domains.find((x) => x.id === DOMAIN_ID);
		if (!d) throw new Error(`domain ${DOMAIN_ID} not found`);
		return d;
	};
	async function waitFor(what: string, timeoutMs: number, intervalMs: number, done: () => Promise<boolean>): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!(await done())) {
			if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
			await sleep(intervalMs);
		}
	}

	// ---- ingest (a side figure): one lane per recipient, so each recipient's arrival order
	// is the send order even with two in flight ------------------------------------------
	const ingestStart = performance.now();
	await Promise.all(
		RECIPIENTS.map(async (rcpt) => {
			for (const m of messages.filter((x) => x.to === rcpt)) {
				const url = new URL("/cdn-cgi/handler/email", service.url);
				url.searchParams.set("from", FROM);
				url.searchParams.set("to", m.to);
				url.searchParams.set("format", "json");
				const res = await fetch(url, { method: "POST", body: new Uint8Array(m.raw) });
				const text = await res.text();
				if (res.status !== 200 || (JSON.parse(text) as { outcome?: string }).outcome !== "ok")
					throw new Error(`ingest of message ${m.seq} failed: ${res.status} ${text.slice(0, 300)}`);
			}
		}),
	);
	const ingestMs = performance.now() - ingestStart;
	console.log(
		`ingested ${N} through the local email endpoint in ${(ingestMs / 1000).toFixed(1)} s (${(N / (ingestMs / 1000)).toFixed(1)} msg/s, untimed below)`,
	);

	// The first message tried 127.0.0.1:9 and found nothing listening: the domain is down and
	// everything is held (spooled, or deferred for the few tried before the outage was known).
	let held: DomainView | undefined;
	await waitFor(`all ${N} held`, 120_000, 250, async () => {
		held = await acme();
		return held.health.state === "down" && held.counts.spooled + held.counts.deferred === N;
	});
	console.log(
		`held: ${held?.counts.spooled} spooled + ${held?.counts.deferred} deferred = ${N}, acme.test ${held?.health.state}, ${held?.counts.delivered} delivered`,
	);

	// ---- ours: recover and drain --------------------------------------------------------
	const ourSink = await startSink(await freePort(), "mx.acme.test");
	sinks.push(ourSink);
	const patched = await admin<{ delivery: unknown; policy: { drainConnections: number; messagesPerConnection: number } }>(
		`/domains/${DOMAIN_ID}`,
		{
			method: "PATCH",
			body: JSON.stringify({
				delivery: { host: "127.0.0.1", port: ourSink.port, tls: "off" },
				policy: { drainConnections: CONNECTIONS, messagesPerConnection: PER_CONNECTION },
			}),
		},
	);
	console.log(
		`acme.test → sink 127.0.0.1:${ourSink.port}; policy: drainConnections ${patched.policy.drainConnections}, messagesPerConnection ${patched.policy.messagesPerConnection}`,
	);
	// A scheduled probe landing between the PATCH and the retry would start early; say so.
	const before = { connections: ourSink.connections(), messages: ourSink.messages.length };

	const t0 = performance.now();
	const retry = await admin<{ health: string; outcome?: string; text?: string }>(`/domains/${DOMAIN_ID}/retry`, { method: "POST" });
	const retryMs = performance.now() - t0;
	if (retry.health !== "up") throw new Error(`retry left acme.test ${retry.health}: ${retry.outcome} ${retry.text}`);
	let ours = check(ourSink, byMessageId);
	let lastReport = performance.now();
	await waitFor(`${N} messages at the sink`, DRAIN_TIMEOUT_MS, 50, async () => {
		ours = check(ourSink, byMessageId);
		if (performance.now() - lastReport > 10_000) {
			lastReport = performance.now();
			// The service's own view beside the sink's: a stall shows where the mail is.
			const d = await acme();
			console.log(
				`  … ${ours.delivered} of ${N} at the sink after ${((lastReport - t0) / 1000).toFixed(0)} s; acme.test ${d.health.state}, ` +
					`D1: ${d.counts.spooled} spooled, ${d.counts.deferred} deferred, ${d.counts.delivered} delivered, ${d.counts.bounced} bounced`,
			);
			if (editNote()) console.log(`    ${editNote()}`);
		}
		return ours.delivered === N;
	}).catch((err: Error) => console.error(`  ${err.message}`));
	// On a timeout the rate is over the time waited, and the run fails below on the missing.
	const oursMs = (ours.lastAt ?? performance.now()) - t0;
	// D1 records the outcome after the session ends; late duplicates would show up meanwhile.
	let after: DomainView | undefined;
	await waitFor(`${N} delivered in D1`, 60_000, 250, async () => {
		after = await acme();
		return after.counts.delivered >= N && after.counts.spooled + after.counts.deferred === 0;
	}).catch((err: Error) => console.error(`  ${err.message}`));
	await sleep(1000);
	ours = check(ourSink, byMessageId);

	// ---- floor: nodemailer, same bounds, same messages, a fresh sink ----------------------
	const floorSink = await startSink(await freePort(), "mx.floor.test");
	sinks.push(floorSink);
	const transport = nodemailer.createTransport({
		host: "127.0.0.1",
		port: floorSink.port,
		pool: true,
		maxConnections: CONNECTIONS,
		maxMessages: PER_CONNECTION,
		ignoreTLS: true,
	});
	// One lane per connection, each recipient always on the same lane: per-recipient order is
	// kept the way ours keeps it, and up to CONNECTIONS messages are in flight.
	const f0 = performance.now();
	let floorFailures = 0;
	await Promise.all(
		Array.from({ length: CONNECTIONS }, async (_, lane) => {
			for (const m of messages) {
				if (RECIPIENTS.indexOf(m.to) % CONNECTIONS !== lane) continue;
				await transport.sendMail({ envelope: { from: FROM, to: [m.to] }, raw: m.raw }).catch((err: Error) => {
					if (floorFailures++ < 5) console.error(`  floor send ${m.seq} failed: ${err.message}`);
				});
			}
		}),
	);
	transport.close();
	const floor = check(floorSink, byMessageId);
	const floorMs = (floor.lastAt ?? performance.now()) - f0;

	// ---- report ---------------------------------------------------------------------------
	const rows = [
		{ name: "floor: nodemailer pool → sink", ms: floorMs, sink: floorSink, check: floor },
		{ name: "ours: held spool → drain → sink", ms: oursMs, sink: ourSink, check: ours },
	].map((r) => ({
		name: r.name,
		messages: r.check.delivered,
		seconds: r.ms / 1000,
		perSecond: r.check.delivered / (r.ms / 1000),
		connections: r.sink.connections(),
		sessionsWithMail: r.sink.sessionsWithMail(),
		maxConcurrent: r.sink.maxConcurrent(),
		timesFloor: r.ms / floorMs,
		duplicates: r.check.duplicates,
		orderViolations: r.check.orderViolations,
		missing: r.check.missing,
		altered: r.check.altered,
	}));
	const [floorRow, ourRow] = rows as [(typeof rows)[number], (typeof rows)[number]];
	const fmt = (n: number, d = 1, w = 10) => n.toFixed(d).padStart(w);
	console.log("");
	console.log(
		`${"path".padEnd(36)}${"msgs".padStart(6)}${"secs".padStart(9)}${"msg/s".padStart(10)}${"conns".padStart(7)}${"w/ mail".padStart(9)}${"max open".padStart(10)}${"× floor".padStart(10)}`,
	);
	for (const r of rows)
		console.log(
			`${r.name.padEnd(36)}${String(r.messages).padStart(6)}${fmt(r.seconds, 2, 9)}${fmt(r.perSecond)}${String(r.connections).padStart(7)}${String(r.sessionsWithMail).padStart(9)}${String(r.maxConcurrent).padStart(10)}${fmt(r.timesFloor)}`,
		);
	console.log("");
	console.log(
		`  ▶ drain takes ${ourRow.timesFloor.toFixed(1)}× the floor's time (${fmt(ourRow.perSecond, 1, 0)} vs ${fmt(floorRow.perSecond, 1, 0)} msg/s)`,
	);
	console.log("");
	console.log(`ours:  retry answered in ${retryMs.toFixed(0)} ms (acme.test ${retry.health}: ${retry.text ?? retry.outcome ?? ""})`);
	if (before.connections > 0 || before.messages > 0)
		console.log(
			`       before the retry the sink already saw ${before.connections} connections, ${before.messages} messages (a scheduled probe)`,
		);
	console.log(
		`       delivered ${ours.delivered}/${N}, duplicates ${ours.duplicates}, per-recipient order violations ${ours.orderViolations}, ` +
			`missing ${ours.missing}, altered ${ours.altered}`,
	);
	console.log(
		`       connections ${ourRow.connections} (${ourRow.sessionsWithMail} carried mail; the rest are probes), at most ${ourRow.maxConcurrent} open at once`,
	);
	console.log(
		`       D1 for acme.test: delivered ${after?.counts.delivered}, spooled ${after?.counts.spooled}, deferred ${after?.counts.deferred}, bounced ${after?.counts.bounced}`,
	);
	console.log(
		`floor: delivered ${floor.delivered}/${N}, duplicates ${floor.duplicates}, per-recipient order violations ${floor.orderViolations}, ` +
			`failed sends ${floorFailures}; connections ${floorRow.connections}, at most ${floorRow.maxConcurrent} open at once`,
	);

	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	const result = {
		at: new Date().toISOString(),
		n: N,
		bytes,
		bounds: { connections: CONNECTIONS, messagesPerConnection: PER_CONNECTION },
		ingest: { seconds: ingestMs / 1000, perSecond: N / (ingestMs / 1000) },
		retryMs,
		rows,
		d1: after?.counts ?? null,
		floorFailures,
		srcEdits: edits,
	};
	if (editNote()) console.log(`\nWARNING: ${editNote()}; run again when src/ is quiet.`);
	writeFileSync(join(ROOT, "bench/results/drain.json"), JSON.stringify(result, null, 2));
	ok =
		ours.duplicates === 0 &&
		ours.orderViolations === 0 &&
		ours.missing === 0 &&
		ours.altered === 0 &&
		after?.counts.delivered === N &&
		floor.missing === 0 &&
		floorFailures === 0;
	if (!ok) console.error("\nFAILED: see the correctness lines above");
} finally {
	watcher.close();
	for (const sink of sinks) await sink.close();
	await service.stop();
}
if (!ok) process.exitCode = 1;
