// npm run bench:scale — issue #11: does cost per message stay flat as the held total grows?
// Many domains (BENCH_SCALE_DOMAINS, 200) with a few mailboxes each, all verified and with no
// delivery destination (their mail is held), plus one domain whose destination is a local SMTP
// sink, kept on maintenance hold until its drain is measured. At each held total in
// BENCH_SCALE_SIZES (1000,10000,100000) the same operations, each beside its floor:
//   list     GET /api/mailbox/messages?limit=50 for one mailbox holding BENCH_SCALE_SHARE of the
//            total; floor: the same SQL on the same D1 file in plain Node (node:sqlite)
//   search   ?q=<rare word>&limit=50 in that mailbox; floor: the same FTS5 query on its
//            MailboxIndex file plus the D1 lookup of the hits by id, in plain Node
//   ingest   a real sample through wrangler's local email endpoint, spread over the domains,
//            p50/p99; floor: the same endpoint in front of a worker whose email() only reads
//   one DO   held mail to ONE domain at concurrency 8 (acceptMany on one DomainRelay), msg/s,
//            beside the same concurrency spread over 8 domains and the null handler
//   drain    the sink domain, holding BENCH_SCALE_DRAIN_N real messages, released: msg/s
//            until its spool is empty; floor: nodemailer's pool, same bounds, to a fresh sink
// The bulk of the held total is seeded straight into the state files between sizes (wrangler
// stopped): see bench/lib/scale-seed.ts and the notes printed at the end. Timings are never
// pass/fail: read each size against the smallest, and each operation against its floor.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import nodemailer from "nodemailer";
import { DEMO_PASSWORD } from "../scripts/lib/demo-tenant";
import { type LocalService, ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { hashPassword } from "../src/lib/password";
import { rfc5322Date } from "../src/lib/rfc5322-date";
import { startFloorWorker } from "./lib/floor-worker";
import { type Mailbox, objectPath, seedHeld } from "./lib/scale-seed";
import { d1File, seedMailboxIndex } from "./lib/seed-mailbox";
import { startSink } from "./lib/sink";
import { percentile, type Timing, time } from "./lib/stats";

const SIZES = (process.env.BENCH_SCALE_SIZES || "1000,10000,100000").split(",").map((s) => Number(s.trim()));
const DOMAINS = Number(process.env.BENCH_SCALE_DOMAINS || 200);
const PER_DOMAIN = 3;
const SHARE = Number(process.env.BENCH_SCALE_SHARE || 0.1);
const SAMPLE = Number(process.env.BENCH_SCALE_SAMPLE || 200);
const SAMPLE_CONCURRENCY = 4;
const INGEST_WARMUP = 20;
const DO_N = Number(process.env.BENCH_SCALE_DRAIN_N || 1000);
const SPREAD_N = Number(process.env.BENCH_SCALE_SPREAD_N || 400);
const DO_CONCURRENCY = 8;
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS || 100);
const WARMUP = 10;
const RARE_WORD = "zeppelin";
const RARE_EVERY = 100;
const DRAIN_TIMEOUT_MS = 600_000;
const SCRIPT = "emergency-inbox";
const FROM = "bench@example.org";
const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (SIZES.some((s) => !Number.isInteger(s) || s <= 0) || SIZES.join() !== [...SIZES].sort((a, b) => a - b).join())
	throw new Error(`BENCH_SCALE_SIZES must be growing positive integers, got ${process.env.BENCH_SCALE_SIZES}`);

// ---- the tenants ----------------------------------------------------------------------------

const pad = (n: number) => String(n).padStart(3, "0");
const domainName = (d: number) => `d${pad(d)}.scale.test`;
const mailbox = (d: number, m: number): Mailbox => ({
	customerId: `sc-${pad(d)}`,
	domainId: `sc-${pad(d)}-d`,
	userId: `sc-${pad(d)}-m${m}`,
	address: `m${m}@${domainName(d)}`,
});
/** The mailbox whose list and search are timed: it holds SHARE of the total at every size. */
const MEASURED = mailbox(0, 0);
const OTHERS = Array.from({ length: DOMAINS * PER_DOMAIN }, (_, i) => mailbox(i % DOMAINS, Math.floor(i / DOMAINS))).filter(
	(m) => m.userId !== MEASURED.userId,
);
const DRAIN = { customerId: "sc-drain", domainId: "sc-drain-d", name: "drain.scale.test", admin: "admin@drain.scale.test" };
/** Four recipients, so two drain connections always have someone to carry. */
const DRAIN_RCPTS = Array.from({ length: 4 }, (_, m) => `m${m}@${DRAIN.name}`);

async function seedTenants(file: string, sinkPort: number): Promise<void> {
	const db = new DatabaseSync(file);
	const now = Date.now();
	const password = await hashPassword(DEMO_PASSWORD);
	db.exec("BEGIN");
	db.prepare("INSERT INTO partners (id, name, created_at) VALUES ('sc-partner', 'Scale Partner', ?)").run(now);
	const customer = db.prepare("INSERT INTO customers (id, partner_id, name, created_at) VALUES (?, 'sc-partner', ?, ?)");
	const domain = db.prepare(
		`INSERT INTO domains (id, customer_id, name, display_name, verified_at, delivery_host, delivery_port, delivery_tls, held, created_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, 'off', ?, ?)`,
	);
	const user = db.prepare(
		"INSERT INTO users (id, customer_id, email, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
	);
	for (let d = 0; d < DOMAINS; d++) {
		const first = mailbox(d, 0);
		customer.run(first.customerId, `Scale ${pad(d)}`, now);
		// No destination: the domain counts as down, everything is held.
		domain.run(first.domainId, first.customerId, domainName(d), domainName(d), now, null, null, 0, now);
		for (let m = 0; m < PER_DOMAIN; m++) {
			const mb = mailbox(d, m);
			user.run(mb.userId, mb.customerId, mb.address, mb.address, "user", mb.userId === MEASURED.userId ? password : null, now);
		}
	}
	customer.run(DRAIN.customerId, "Scale Drain", now);
	// A destination (the sink), but on maintenance hold until the drain is measured.
	domain.run(DRAIN.domainId, DRAIN.customerId, DRAIN.name, DRAIN.name, now, "127.0.0.1", sinkPort, 1, now);
	user.run("sc-drain-admin", DRAIN.customerId, DRAIN.admin, "Drain Admin", "customer_admin", password, now);
	DRAIN_RCPTS.forEach((address, m) => {
		user.run(`sc-drain-m${m}`, DRAIN.customerId, address, address, "user", null, now);
	});
	db.exec("COMMIT");
	db.close();
}

// ---- messages and sending -----------------------------------------------------------------

const runId = Date.now().toString(36);
let sent = 0;
const FILLER = "the quarterly figures are attached please review before our meeting on thursday we still need sign off from finance";

/** A plain-text message of about 1.5 KiB with its own Message-ID. */
function message(to: string, tag: string): { messageId: string; raw: Buffer } {
	const seq = sent++;
	const messageId = `<scale-${runId}-${tag}-${seq}@example.org>`;
	const head = [
		"From: Bench Sender <bench@example.org>",
		`To: <${to}>`,
		`Subject: Scale bench ${tag} ${seq}`,
		`Date: ${rfc5322Date(new Date())}`,
		`Message-ID: ${messageId}`,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"",
	].join("\r\n");
	const body = Array.from({ length: 12 }, (_, i) => `${FILLER} ${seq} ${i}`).join("\r\n");
	return { messageId, raw: Buffer.from(`${head}${body}\r\n`) };
}

async function postEmail(base: string, to: string, raw: Buffer, ours: boolean): Promise<void> {
	const url = new URL("/cdn-cgi/handler/email", base);
	url.searchParams.set("from", FROM);
	url.searchParams.set("to", to);
	url.searchParams.set("format", "json");
	const res = await fetch(url, { method: "POST", body: new Uint8Array(raw) });
	const text = await res.text();
	if (res.status !== 200 || (ours && (JSON.parse(text) as { outcome?: string }).outcome !== "ok"))
		throw new Error(`email to ${to}: ${res.status} ${text.slice(0, 300)}`);
}

interface Rate {
	n: number;
	perSecond: number;
	p50: number;
	p99: number;
}

/** `n` sends, `concurrency` in flight; lane k sends items k, k + concurrency, … in order. */
async function pool(n: number, concurrency: number, send: (i: number) => Promise<void>): Promise<Rate> {
	const ms: number[] = [];
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async (_, lane) => {
			for (let i = lane; i < n; i += concurrency) {
				const t = performance.now();
				await send(i);
				ms.push(performance.now() - t);
			}
		}),
	);
	const total = performance.now() - t0;
	ms.sort((a, b) => a - b);
	return { n, perSecond: n / (total / 1000), p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

// ---- the floors in plain Node ----------------------------------------------------------------

// What src/db/mailbox.ts has drizzle build for listFolder and summariesOf, written out.
const COLUMNS =
	"id, folder, from_header, to_header, subject, snippet, sent_at, received_at, size, has_attachments, seen, status, parse_error";
const LIST_SQL = `SELECT ${COLUMNS} FROM messages WHERE (user_id = ? AND held_at IS NOT NULL AND folder = ?) ORDER BY id DESC LIMIT ?`;
const BY_ID_SQL = `SELECT ${COLUMNS} FROM messages WHERE (id IN (SELECT value FROM json_each(?)) AND user_id = ? AND held_at IS NOT NULL)`;
// MailboxIndex.search(), with the API's batch of 400.
const FTS_SQL = `SELECT docs.message_id AS messageId, docs.doc AS doc FROM search JOIN docs ON docs.doc = search.rowid
	WHERE search MATCH ? AND search.rowid < ? ORDER BY search.rowid DESC LIMIT ?`;

async function floors(d1: string, index: string) {
	const db = new DatabaseSync(d1, { readOnly: true });
	const idx = new DatabaseSync(index, { readOnly: true });
	const list = db.prepare(LIST_SQL);
	const fts = idx.prepare(FTS_SQL);
	const byId = db.prepare(BY_ID_SQL);
	const listT = await time(REQUESTS, WARMUP, () => list.all(MEASURED.userId, "inbox", 51));
	const search = () => {
		const hits = fts.all(`"${RARE_WORD}"*`, Number.MAX_SAFE_INTEGER, 400) as { messageId: string }[];
		return byId.all(JSON.stringify(hits.map((h) => h.messageId)), MEASURED.userId);
	};
	const searchT = await time(REQUESTS, WARMUP, search);
	const hits = search().length;
	const listIds = (list.all(MEASURED.userId, "inbox", 51) as { id: string }[]).slice(0, 50).map((r) => r.id);
	const count = (sql: string, ...args: string[]) => Number((db.prepare(sql).get(...args) as { n: number }).n);
	const held = count("SELECT count(*) AS n FROM messages WHERE held_at IS NOT NULL");
	const inMailbox = count("SELECT count(*) AS n FROM messages WHERE user_id = ? AND held_at IS NOT NULL", MEASURED.userId);
	const indexed = Number((idx.prepare("SELECT count(*) AS n FROM docs").get() as { n: number }).n);
	db.close();
	idx.close();
	return { list: listT, search: searchT, hits, listIds, held, inMailbox, indexed };
}

// ---- main -------------------------------------------------------------------------------------

interface SizeResult {
	size: number;
	seeded: number;
	seedSeconds: number;
	held: number;
	inMailbox: number;
	indexed: number;
	searchHits: number;
	d1Bytes: number;
	list: Timing;
	listFloor: Timing;
	search: Timing;
	searchFloor: Timing;
	session: Timing;
	ingest: Rate;
	ingestFloor: Rate;
	oneDomain: Rate;
	eightDomains: Rate;
	nullAt8: Rate;
	drain: { n: number; seconds: number; perSecond: number };
	drainFloor: { n: number; seconds: number; perSecond: number };
	heldAfter: number;
}

const stateDir = mkdtempSync(join(tmpdir(), "ei-bench-scale-"));
console.log(
	`${DOMAINS} held domains × ${PER_DOMAIN} mailboxes + 1 drain domain (${DRAIN_RCPTS.length} mailboxes); sizes ${SIZES.map((s) => s.toLocaleString("en")).join(" → ")}; ` +
		`measured mailbox ${MEASURED.address} holds ${SHARE * 100}% of the total; state ${stateDir}`,
);
await run(join(ROOT, "node_modules/.bin/wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
	cwd: ROOT,
	env: { ...process.env, CI: "1" },
});
const d1 = d1File(stateDir);
const sink = await startSink(await freePort(), "mx.drain.scale.test");
await seedTenants(d1, sink.port);
const nullWorker = await startFloorWorker("null-worker");

let service: LocalService | null = null;
const start = async () => {
	const t = performance.now();
	service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
	return performance.now() - t;
};
const stop = async () => {
	await service?.stop();
	service = null;
};
const base = () => (service as LocalService | null)?.url ?? "";

async function signIn(email: string): Promise<string> {
	const res = await fetch(`${base()}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email, password: DEMO_PASSWORD }),
	});
	if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
	return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}
async function api<T>(cookie: string, path: string, init: RequestInit = {}): Promise<T> {
	const res = await fetch(`${base()}${path}`, { ...init, headers: { Cookie: cookie, "Content-Type": "application/json" } });
	const text = await res.text();
	if (res.status !== 200) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${text.slice(0, 300)}`);
	return JSON.parse(text) as T;
}
interface DomainView {
	id: string;
	held: boolean;
	health: { state: string };
	counts: { spooled: number; deferred: number; delivered: number; bounced: number };
}
async function waitFor(what: string, timeoutMs: number, intervalMs: number, done: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await sleep(intervalMs);
	}
}

const results: SizeResult[] = [];
let seedRound = 0;
try {
	// Once: the measured mailbox's MailboxIndex object must exist (its file, its schema) before
	// seeding writes into it, and sessions are kept in D1 across restarts.
	console.log(`first start (creates the measured mailbox's index object): ${((await start()) / 1000).toFixed(1)} s`);
	const userCookie = await signIn(MEASURED.address);
	const adminCookie = await signIn(DRAIN.admin);
	await api(userCookie, `/api/mailbox/messages?limit=50&q=${RARE_WORD}`);
	const drainDomain = async () => {
		const { domains } = await api<{ domains: DomainView[] }>(adminCookie, "/api/admin/domains");
		const d = domains.find((x) => x.id === DRAIN.domainId);
		if (!d) throw new Error(`${DRAIN.domainId} not listed`);
		return d;
	};
	await stop();
	const indexFile = objectPath(stateDir, SCRIPT, "MailboxIndex", MEASURED.userId);

	for (const size of SIZES) {
		console.log(`\n== held total ${size.toLocaleString("en")} ==`);
		// ---- seed up to the size (wrangler stopped) ----
		const before = await floors(d1, indexFile);
		const need = Math.max(0, size - before.held);
		const mine = Math.min(need, Math.max(0, Math.round(size * SHARE) - before.inMailbox));
		const t = performance.now();
		// The measured mailbox's share is interleaved evenly among the others'.
		const every = mine > 0 ? need / mine : Number.POSITIVE_INFINITY;
		let o = 0;
		const seeded = seedHeld(d1, {
			count: need,
			pick: (i) => (Math.floor(i / every) !== Math.floor((i + 1) / every) ? MEASURED : (OTHERS[o++ % OTHERS.length] as Mailbox)),
			indexFor: MEASURED.userId,
			rareWord: RARE_WORD,
			rareEvery: RARE_EVERY,
			days: 30,
			seed: ++seedRound,
		});
		seedMailboxIndex(indexFile, seeded.entries);
		const seedSeconds = (performance.now() - t) / 1000;
		console.log(
			`seeded ${need.toLocaleString("en")} held rows in D1 (${seeded.entries.length.toLocaleString("en")} for ${MEASURED.address}, indexed in its object; "${RARE_WORD}" in ${seeded.rare}) in ${seedSeconds.toFixed(1)} s`,
		);
		const floor = await floors(d1, indexFile);
		console.log(
			`held total ${floor.held.toLocaleString("en")}; ${MEASURED.address}: ${floor.inMailbox.toLocaleString("en")} held, ${floor.indexed.toLocaleString("en")} indexed, "${RARE_WORD}" matches ${floor.hits}`,
		);

		console.log(`wrangler dev up in ${((await start()) / 1000).toFixed(1)} s`);
		// ---- list and search for one mailbox ----
		const get = (path: string) => async () => {
			const page = await api<{ messages: { id: string }[] }>(userCookie, path);
			return page.messages.map((m) => m.id);
		};
		const list = get("/api/mailbox/messages?limit=50");
		const search = get(`/api/mailbox/messages?limit=50&q=${RARE_WORD}`);
		if ((await list()).join() !== floor.listIds.join()) console.warn("  warning: the API's first page and the floor SQL's differ");
		const searchHits = (await search()).length;
		const listT = await time(REQUESTS, WARMUP, list);
		const searchT = await time(REQUESTS, WARMUP, search);
		const session = await time(REQUESTS, WARMUP, () => api(userCookie, "/api/session"));
		console.log(
			`list p95 ${listT.p95.toFixed(1)} ms (floor ${floor.list.p95.toFixed(2)}), search p95 ${searchT.p95.toFixed(1)} ms, ${searchHits} hits (floor ${floor.search.p95.toFixed(2)})`,
		);

		// ---- ingest: a real sample spread over the domains, and its floor ----
		const sampleTo = (i: number) => (OTHERS[i % OTHERS.length] as Mailbox).address;
		const sample = Array.from({ length: SAMPLE }, (_, i) => message(sampleTo(i), "sample"));
		// Untimed, both paths: wrangler just restarted, and the first calls pay for compiling and opening objects.
		await pool(INGEST_WARMUP, SAMPLE_CONCURRENCY, async (i) => {
			const w = message(sampleTo(i + 7), "warmup");
			await postEmail(base(), sampleTo(i + 7), w.raw, true);
			await postEmail(nullWorker.url, sampleTo(i + 7), w.raw, false);
		});
		const ingest = await pool(SAMPLE, SAMPLE_CONCURRENCY, (i) => postEmail(base(), sampleTo(i), (sample[i] as { raw: Buffer }).raw, true));
		const ingestFloor = await pool(SAMPLE, SAMPLE_CONCURRENCY, (i) =>
			postEmail(nullWorker.url, sampleTo(i), (sample[i] as { raw: Buffer }).raw, false),
		);
		console.log(
			`ingest ${SAMPLE} over ${DOMAINS} domains at ${SAMPLE_CONCURRENCY}: p50 ${ingest.p50.toFixed(1)} ms, p99 ${ingest.p99.toFixed(1)} ms`,
		);

		// ---- one DomainRelay at concurrency 8 (the drain domain, on hold), vs 8 domains ----
		const held = await api<{ held: boolean }>(adminCookie, `/api/admin/domains/${DRAIN.domainId}/hold`, { method: "POST" });
		if (!held.held) throw new Error("the drain domain did not go on hold");
		const drainMsgs = Array.from({ length: DO_N }, (_, i) => {
			const to = DRAIN_RCPTS[i % DRAIN_RCPTS.length] as string;
			return { to, ...message(to, "drain") };
		});
		const oneDomain = await pool(DO_N, DO_CONCURRENCY, (i) => {
			const m = drainMsgs[i] as (typeof drainMsgs)[number];
			return postEmail(base(), m.to, m.raw, true);
		});
		const spreadTo = (i: number) => mailbox(1 + (i % DO_CONCURRENCY), 1).address;
		const spread = Array.from({ length: SPREAD_N }, (_, i) => message(spreadTo(i), "spread"));
		const eightDomains = await pool(SPREAD_N, DO_CONCURRENCY, (i) =>
			postEmail(base(), spreadTo(i), (spread[i] as { raw: Buffer }).raw, true),
		);
		const nullAt8 = await pool(SPREAD_N, DO_CONCURRENCY, (i) =>
			postEmail(nullWorker.url, spreadTo(i), (spread[i] as { raw: Buffer }).raw, false),
		);
		console.log(
			`concurrency ${DO_CONCURRENCY}: one domain ${oneDomain.perSecond.toFixed(1)} msg/s, 8 domains ${eightDomains.perSecond.toFixed(1)} msg/s, null email() ${nullAt8.perSecond.toFixed(1)} msg/s`,
		);

		// ---- drain: release the sink domain and time its spool to empty ----
		await waitFor(`${DO_N} held for ${DRAIN.name}`, 120_000, 250, async () => (await drainDomain()).counts.spooled === DO_N);
		const wanted = new Set(drainMsgs.map((m) => m.messageId));
		const delivered = () => new Set(sink.messages.filter((m) => m.messageId && wanted.has(m.messageId)).map((m) => m.messageId)).size;
		const t0 = performance.now();
		await api(adminCookie, `/api/admin/domains/${DRAIN.domainId}/release`, { method: "POST" });
		let lastAt = t0;
		await waitFor(`${DO_N} at the sink`, DRAIN_TIMEOUT_MS, 50, async () => {
			const n = delivered();
			if (n === DO_N) lastAt = Math.max(...sink.messages.filter((m) => m.messageId && wanted.has(m.messageId)).map((m) => m.at));
			return n === DO_N;
		});
		const drainMs = lastAt - t0;
		await waitFor(`${DRAIN.name}'s spool empty`, 60_000, 250, async () => {
			const d = await drainDomain();
			return d.counts.spooled + d.counts.deferred === 0;
		});
		// Floor: the same messages, the same bounds (2 connections, 20 messages each), per-recipient order kept.
		const floorSink = await startSink(await freePort(), "mx.floor.test");
		const transport = nodemailer.createTransport({
			host: "127.0.0.1",
			port: floorSink.port,
			pool: true,
			maxConnections: 2,
			maxMessages: 20,
			ignoreTLS: true,
		});
		const f0 = performance.now();
		await Promise.all(
			[0, 1].map(async (lane) => {
				for (const m of drainMsgs)
					if (DRAIN_RCPTS.indexOf(m.to) % 2 === lane) await transport.sendMail({ envelope: { from: FROM, to: [m.to] }, raw: m.raw });
			}),
		);
		const floorMs = performance.now() - f0;
		transport.close();
		await floorSink.close();
		console.log(`drain ${DO_N}: ${(DO_N / (drainMs / 1000)).toFixed(1)} msg/s (floor ${(DO_N / (floorMs / 1000)).toFixed(1)})`);

		// Let the index queue settle before wrangler stops (local queues are not kept across restarts).
		await sleep(3000);
		await stop();
		const after = await floors(d1, indexFile);
		results.push({
			size,
			seeded: need,
			seedSeconds,
			held: floor.held,
			inMailbox: floor.inMailbox,
			indexed: floor.indexed,
			searchHits,
			d1Bytes: statSync(d1).size,
			list: listT,
			listFloor: floor.list,
			search: searchT,
			searchFloor: floor.search,
			session,
			ingest,
			ingestFloor,
			oneDomain,
			eightDomains,
			nullAt8,
			drain: { n: DO_N, seconds: drainMs / 1000, perSecond: DO_N / (drainMs / 1000) },
			drainFloor: { n: DO_N, seconds: floorMs / 1000, perSecond: DO_N / (floorMs / 1000) },
			heldAfter: after.held,
		});
	}
} finally {
	await stop();
	await nullWorker.stop();
	await sink.close();
}

// ---- report ---------------------------------------------------------------------------------

const first = results[0] as SizeResult;
const W = 20;
const cell = (v: number, ref: number, d: number, unit = "") => {
	const s = `${v.toFixed(d)}${unit}`;
	return (v === ref ? s : `${s} (${(v / ref).toFixed(2)}×)`).padStart(W);
};
type Row = [label: string, value: (r: SizeResult) => number, decimals: number, floor?: (r: SizeResult) => number];
const rows: Row[] = [
	["list p50 ms", (r) => r.list.p50, 1, (r) => r.listFloor.p50],
	["list p95 ms", (r) => r.list.p95, 1, (r) => r.listFloor.p95],
	["search p50 ms", (r) => r.search.p50, 1, (r) => r.searchFloor.p50],
	["search p95 ms", (r) => r.search.p95, 1, (r) => r.searchFloor.p95],
	["GET /api/session p50 ms (per call)", (r) => r.session.p50, 1],
	[`ingest p50 ms (${SAMPLE}, c=${SAMPLE_CONCURRENCY})`, (r) => r.ingest.p50, 1, (r) => r.ingestFloor.p50],
	[`ingest p99 ms (${SAMPLE}, c=${SAMPLE_CONCURRENCY})`, (r) => r.ingest.p99, 1, (r) => r.ingestFloor.p99],
	[`ingest msg/s (${SAMPLE}, c=${SAMPLE_CONCURRENCY})`, (r) => r.ingest.perSecond, 1, (r) => r.ingestFloor.perSecond],
	[`one domain msg/s (${DO_N}, c=${DO_CONCURRENCY})`, (r) => r.oneDomain.perSecond, 1, (r) => r.nullAt8.perSecond],
	[`one domain p99 ms (c=${DO_CONCURRENCY})`, (r) => r.oneDomain.p99, 1, (r) => r.nullAt8.p99],
	[`8 domains msg/s (${SPREAD_N}, c=${DO_CONCURRENCY})`, (r) => r.eightDomains.perSecond, 1, (r) => r.nullAt8.perSecond],
	[`drain msg/s (${DO_N}, 1 domain)`, (r) => r.drain.perSecond, 1, (r) => r.drainFloor.perSecond],
];
console.log("");
console.log(`${"held total →".padEnd(38)}${results.map((r) => r.held.toLocaleString("en").padStart(W)).join("")}   (× the smallest size)`);
console.log(`${"measured mailbox holds".padEnd(38)}${results.map((r) => r.inMailbox.toLocaleString("en").padStart(W)).join("")}`);
console.log(`${"search hits on the page".padEnd(38)}${results.map((r) => String(r.searchHits).padStart(W)).join("")}`);
console.log(`${"D1 file MB".padEnd(38)}${results.map((r) => (r.d1Bytes / 1e6).toFixed(1).padStart(W)).join("")}`);
for (const [label, value, d, floorOf] of rows) {
	console.log(`${label.padEnd(38)}${results.map((r) => cell(value(r), value(first), d)).join("")}`);
	if (floorOf) {
		console.log(`${"  floor".padEnd(38)}${results.map((r) => cell(floorOf(r), floorOf(first), Math.max(d, 2))).join("")}`);
		console.log(`${"  ours ÷ floor".padEnd(38)}${results.map((r) => `${(value(r) / floorOf(r)).toFixed(1)}×`.padStart(W)).join("")}`);
	}
}
console.log("");
console.log("floors: list = the same SQL on the D1 file (node:sqlite); search = the same FTS5 query on the mailbox's object file + the");
console.log("  D1 lookup by id; ingest = the same wrangler endpoint before a worker whose email() only reads the bytes (same messages,");
console.log(
	"  same concurrency; under 'one domain' the null handler at c=8); drain = nodemailer pool, 2 connections × 20, to a fresh sink.",
);
console.log(
	`${REQUESTS} sequential requests per list/search figure after ${WARMUP} warm-up; ingest and drain are real messages of ~1.5 KiB.`,
);
console.log("seeded vs real:");
console.log(
	`  seeded (wrangler stopped): D1 messages rows with held_at set, spread over ${DOMAINS * PER_DOMAIN} mailboxes of ${DOMAINS} domains, ${SHARE * 100}% to the measured`,
);
console.log(
	"  mailbox; that mailbox's MailboxIndex rows (docs + FTS5). No R2 bodies, no deliveries/events rows, no DomainRelay spool rows,",
);
console.log("  no index rows for other mailboxes (their objects are never read by the measured list/search).");
console.log(
	`  real (through the email endpoint, per size): ${INGEST_WARMUP} warm-up + ${SAMPLE} sample + ${DO_N} to the drain domain + ${SPREAD_N} to 8 domains, each through D1, R2,`,
);
console.log("  the domain's object, the index queue; so the held total grows by those between sizes (the next size seeds the rest).");
console.log(`  the drain domain's ${DO_N} are real (its spool is in its object) and drained to a local sink at every size.`);

mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(
	join(ROOT, "bench/results/scale.json"),
	JSON.stringify({ at: new Date().toISOString(), domains: DOMAINS, perDomain: PER_DOMAIN, share: SHARE, results }, null, 2),
);
rmSync(stateDir, { recursive: true, force: true });
