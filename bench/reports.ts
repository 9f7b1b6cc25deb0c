// npm run bench:reports — the report API over 100,000 messages, beside a floor measured in the same run.
//   ours:  GET /api/admin/reports for acme.test through `wrangler dev` (session, scope, domain check,
//          the domain object's hours and D1's transitions, timelines, JSON): 30 days by day, 14 days
//          by hour; and the first report, for which the object counts the seeded mail from D1 once
//   floor: the same reads in plain Node (node:sqlite): the hours of the period from a table of
//          per-hour counts, and TRANSITIONS_SQL against the same D1 file; and SEED_SQL, the very
//          text the object sends to count what came before it
//   also:  GET /api/session, what any API call pays before its own work
// The messages arrive evenly over 30 days; most were held and delivered hours later, 1% bounced a
// day later, a tenth never held; one outage a day in the events. Read the ratio, not the absolute
// numbers: machines here are shared and noisy.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { monotonicFactory } from "ulid";
import { DEMO_PASSWORD, demoSeedSql, GLOBEX_PORT } from "../scripts/lib/demo-tenant";
import { type LocalService, ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import type { Report } from "../src/api/report-types";
import { HOUR_MS, mergeSeed, SEED_SQL, seedParams, TRANSITIONS_SQL } from "../src/db/report-sql";
import { d1File, seedMailbox } from "./lib/seed-mailbox";
import { type Timing, time } from "./lib/stats";

const MESSAGES = Number(process.env.BENCH_REPORT_MESSAGES || 100_000);
const REQUESTS = Number(process.env.BENCH_REPORT_N || 100);
const WARMUP = 10;
const DAYS = 30;
const DOMAIN = { customerId: "acme", domainId: "acme-test", userId: "acme-alice", address: "alice@acme.test" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const run = promisify(execFile);

const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Turns the seeded (all held) mailbox into a history: delivered after recovery, bounced, never held; and outages. */
function shapeHistory(file: string) {
	const db = new DatabaseSync(file);
	db.exec("BEGIN");
	// Three in four held and delivered 1–6 hours later; one in a hundred bounced a day later; one in ten never held.
	db.exec(`UPDATE messages SET status = 'delivered', delivered_at = received_at + (1 + abs(random()) % 6) * ${HOUR}, r2_key = NULL
		WHERE domain_id = '${DOMAIN.domainId}' AND abs(random()) % 4 <> 0`);
	db.exec(`UPDATE messages SET status = 'bounced', updated_at = received_at + ${DAY}, delivered_at = NULL
		WHERE domain_id = '${DOMAIN.domainId}' AND abs(random()) % 100 = 0`);
	db.exec(`UPDATE messages SET held_at = NULL WHERE domain_id = '${DOMAIN.domainId}' AND status = 'delivered' AND abs(random()) % 10 = 0`);
	const nextId = monotonicFactory();
	const event = db.prepare("INSERT INTO events (id, customer_id, domain_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)");
	const now = Date.now();
	for (let d = DAYS; d > 0; d--) {
		const down = now - d * DAY + 2 * HOUR;
		event.run(nextId(down), DOMAIN.customerId, DOMAIN.domainId, "domain.down", JSON.stringify({ error: "cannot connect" }), down);
		event.run(nextId(down + HOUR), DOMAIN.customerId, DOMAIN.domainId, "domain.up", "{}", down + HOUR);
	}
	db.exec("COMMIT");
	db.close();
}

const now = Date.now();
const today = Math.floor(now / DAY) * DAY;
const CASES = [
	{ label: `${DAYS} days by day`, from: today - (DAYS - 1) * DAY, days: DAYS, bucket: "day" as const },
	{ label: "14 days by hour", from: today - 13 * DAY, days: 14, bucket: "hour" as const },
];
const windowOf = (c: (typeof CASES)[number]) => ({
	customerId: DOMAIN.customerId,
	domainId: DOMAIN.domainId,
	start: c.from,
	end: c.from + c.days * DAY,
	bucketMs: c.bucket === "hour" ? HOUR : DAY,
});

const stateDir = mkdtempSync(join(tmpdir(), "ei-bench-reports-"));
console.log(`seeding ${MESSAGES.toLocaleString("en")} messages for ${DOMAIN.address} in ${stateDir}…`);
await run(join(ROOT, "node_modules/.bin/wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
	cwd: ROOT,
	env: { ...process.env, CI: "1" },
});
const file = d1File(stateDir);
{
	const db = new DatabaseSync(file);
	db.exec(await demoSeedSql(GLOBEX_PORT));
	db.close();
}
seedMailbox(file, { count: MESSAGES, ...DOMAIN, rareEvery: 1_000_000, rareWord: "unused", days: DAYS });
shapeHistory(file);

// Floor first, while nothing else has the file open (as bench/web.ts does).
const floors: { floor: Timing; received: number }[] = [];
const plans: string[] = [];
let seedFloor: Timing;
{
	const db = new DatabaseSync(file, { readOnly: true });
	const domain = { id: DOMAIN.domainId, customerId: DOMAIN.customerId };
	const seed = Object.values(SEED_SQL).map((sql) => db.prepare(sql));
	const countAll = () => {
		const [received, delivered, bounced] = seed.map((stmt) => stmt.all(...seedParams(domain, Date.now() + DAY)));
		type Counted = { hour: number; n: number }[];
		return mergeSeed(received as { hour: number; received: number; held: number }[], delivered as Counted, bounced as Counted);
	};
	seedFloor = await time(5, 1, countAll);
	for (const [key, sql] of Object.entries(SEED_SQL)) {
		const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...seedParams(domain, Date.now())) as { detail: string }[];
		plans.push(`${key}: ${plan.map((p) => p.detail).join(" | ")}`);
	}
	// The object's table of hours, as it stands once it has counted.
	const hourly = new DatabaseSync(":memory:");
	hourly.exec("CREATE TABLE hourly (hour INTEGER PRIMARY KEY, received INTEGER, held INTEGER, delivered_after INTEGER, bounced INTEGER)");
	const put = hourly.prepare("INSERT INTO hourly VALUES (?, ?, ?, ?, ?)");
	for (const h of countAll()) put.run(h.hour, h.received, h.held, h.deliveredAfterRecovery, h.bounced);
	const hours = hourly.prepare("SELECT * FROM hourly WHERE hour BETWEEN ? AND ? ORDER BY hour");
	const transitions = db.prepare(TRANSITIONS_SQL);
	for (const c of CASES) {
		const w = windowOf(c);
		const once = () => [hours.all(w.start / HOUR_MS, w.end / HOUR_MS - 1), transitions.all(DOMAIN.customerId, DOMAIN.domainId, w.end)];
		const received = (once()[0] as { received: number }[]).reduce((s, r) => s + r.received, 0);
		floors.push({ floor: await time(REQUESTS, WARMUP, once), received });
	}
	hourly.close();
	db.close();
}

let service: LocalService | undefined;
try {
	service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
	const base = service.url;
	const login = await fetch(`${base}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: "admin@acme.test", password: DEMO_PASSWORD }),
	});
	if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
	const cookie = (login.headers.get("Set-Cookie") ?? "").split(";")[0] as string;

	const rows: { label: string; ours: Timing; floor: Timing; received: number }[] = [];
	let firstReportMs = 0;
	for (const [i, c] of CASES.entries()) {
		const w = windowOf(c);
		const url = `${base}/api/admin/reports?domain=${DOMAIN.domainId}&from=${utcDate(w.start)}&to=${utcDate(w.end - DAY)}&bucket=${c.bucket}`;
		const get = async () => {
			const res = await fetch(url, { headers: { Cookie: cookie } });
			if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
			return (await res.json()) as Report;
		};
		const floor = floors[i] as (typeof floors)[number];
		// Same numbers as the floor's SQL, or the comparison means nothing. The very first report
		// is the one for which the domain's object counts the seeded mail from D1.
		const t = performance.now();
		const first = await get();
		if (i === 0) firstReportMs = performance.now() - t;
		if (first.totals.received !== floor.received)
			console.warn(`warning: ${c.label}: the API counts ${first.totals.received} received, the floor ${floor.received}`);
		rows.push({ label: c.label, ours: await time(REQUESTS, WARMUP, get), floor: floor.floor, received: first.totals.received });
	}
	const roundTrip = await time(REQUESTS, WARMUP, async () => {
		const res = await fetch(`${base}/api/session`, { headers: { Cookie: cookie } });
		await res.arrayBuffer();
	});

	const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
	console.log("");
	console.log(
		`${"GET /api/admin/reports".padEnd(36)}${"ours p50".padStart(11)}${"p95".padStart(10)}${"floor p50".padStart(11)}${"p95".padStart(10)}${"× floor p50".padStart(13)}`,
	);
	for (const r of rows)
		console.log(
			`${`${r.label} (${r.received.toLocaleString("en")} received)`.padEnd(36)}${ms(r.ours.p50).padStart(11)}${ms(r.ours.p95).padStart(10)}${ms(r.floor.p50).padStart(11)}${ms(r.floor.p95).padStart(10)}${`${(r.ours.p50 / r.floor.p50).toFixed(1)}×`.padStart(13)}`,
		);
	console.log(`${"GET /api/session (per-call cost)".padEnd(36)}${ms(roundTrip.p50).padStart(11)}${ms(roundTrip.p95).padStart(10)}`);
	console.log(
		`${"first report: the object counts D1 once".padEnd(36)}${ms(firstReportMs).padStart(11)}${"".padStart(10)}${ms(seedFloor.p50).padStart(11)}${"".padStart(10)}${`${(firstReportMs / seedFloor.p50).toFixed(1)}×`.padStart(13)}`,
	);
	console.log("");
	console.log(
		`${MESSAGES.toLocaleString("en")} messages over ${DAYS} days; ${REQUESTS} sequential requests each after ${WARMUP} warm-up; floor: the same reads in node:sqlite (hours of the period and the transitions; SEED_SQL for the first report)`,
	);
	for (const p of plans) console.log(`query plan ${p}`);
	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	writeFileSync(
		join(ROOT, "bench/results/reports.json"),
		JSON.stringify(
			{
				at: new Date().toISOString(),
				messages: MESSAGES,
				requests: REQUESTS,
				rows,
				sessionRoundTrip: roundTrip,
				firstReportMs,
				seedFloor,
				plans,
			},
			null,
			2,
		),
	);
} finally {
	await service?.stop();
	rmSync(stateDir, { recursive: true, force: true });
}
