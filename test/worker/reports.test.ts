// Reports (GET /api/admin/reports and reports.csv): a real outage through the email handler,
// the domain's Durable Object and a scripted downstream server, then rows and events with fixed
// timestamps for the period's edges, clipped and open outages, the CSV and its refusals.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/api/app";
import type { Report } from "../../src/api/report-types";
import { SEED_SQL, seedParams, TRANSITIONS_SQL } from "../../src/db/report-sql";
import type { DomainRelay } from "../../src/domain/domain-relay";
import type { SpoolStore } from "../../src/domain/spool-store";
import { newId } from "../../src/lib/ids";
import { configure, idOf, relayOf, scriptedServer, statusOf } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const HOUR = 3_600_000;
/** What the tests read inside the domain's object. */
type Inside = { store: SpoolStore };
const DAY = 24 * HOUR;
const wait = { timeout: 15_000, interval: 50 };
const at = (iso: string) => Date.parse(iso);
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

async function report(cookie: string, query: string): Promise<Report> {
	const res = await api(`/admin/reports?${query}`, cookie);
	expect(res.status, await res.clone().text()).toBe(200);
	return (await res.json()) as Report;
}

/** The report as the app answers with its clock held at `now`: "now" in the answer is known to the millisecond. */
async function reportAt(now: number, cookie: string, query: string): Promise<Report> {
	const res = await createApp({ now: () => now }).request(
		`http://localhost/api/admin/reports?${query}`,
		{ headers: { Cookie: cookie } },
		env,
	);
	expect(res.status, await res.clone().text()).toBe(200);
	return (await res.json()) as Report;
}

interface Row {
	receivedAt: number;
	heldAt?: number | null;
	deliveredAt?: number | null;
	status?: string;
	updatedAt?: number;
	direction?: "in" | "out";
}

/** A message row as the pipeline leaves it, at fixed times (the email handler stamps "now"). */
async function insertMessage(t: Tenant, m: Row) {
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, direction, envelope_from, envelope_to, received_at, size, sha256,
			status, held_at, delivered_at, updated_at)
		 VALUES (?, ?, ?, ?, ?, 'x@example.org', ?, ?, 100, ?, ?, ?, ?, ?)`,
	)
		.bind(
			newId(m.receivedAt),
			t.customerId,
			t.domainId,
			t.alice.id,
			m.direction ?? "in",
			t.alice.email,
			m.receivedAt,
			crypto.randomUUID(),
			m.status ?? (m.deliveredAt ? "delivered" : "spooled"),
			m.heldAt ?? null,
			m.deliveredAt ?? null,
			m.updatedAt ?? m.deliveredAt ?? m.receivedAt,
		)
		.run();
}

/** An event as the domain's object or an admin action writes it, at a fixed time. */
async function insertEvent(t: Tenant, kind: string, createdAt: number, detail: object = {}) {
	await env.DB.prepare("INSERT INTO events (id, customer_id, domain_id, kind, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)")
		.bind(newId(createdAt), t.customerId, t.domainId, kind, JSON.stringify(detail), createdAt)
		.run();
}

describe("a real outage, reported", () => {
	it("counts mail held while the server was down, delivered after it came back, and the one the admin bounced", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer({ greeting: "421 4.3.2 Service not available" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });
		const started = Date.now();

		await deliver("s@example.org", t.alice.email, simpleMessage("first"));
		const first = await idOf(t.alice.email, "first");
		await vi.waitFor(async () => expect((await statusOf(first))?.held_at).toEqual(expect.any(Number)), wait);
		await deliver("s@example.org", t.alice.email, simpleMessage("second"));
		await deliver("s@example.org", t.bob.email, simpleMessage("given up"));
		const givenUp = await idOf(t.bob.email, "given up");
		expect((await api(`/admin/messages/${givenUp}/bounce`, admin, { method: "POST" })).status).toBe(200);

		await server.setScript({});
		expect((await relayOf(t).retryNow()).kind).toBe("delivered");
		const second = await idOf(t.alice.email, "second");
		await vi.waitFor(async () => expect((await statusOf(second))?.status).toBe("delivered"), wait);
		await vi.waitFor(async () => expect((await statusOf(first))?.status).toBe("delivered"), wait);
		// Up again: this one goes straight through and was never held.
		await deliver("s@example.org", t.alice.email, simpleMessage("after"));
		const after = await idOf(t.alice.email, "after");
		await vi.waitFor(async () => expect(await statusOf(after)).toEqual({ status: "delivered", held_at: null }), wait);
		const ended = Date.now();

		const from = day(started - DAY);
		const r = await report(admin, `domain=${t.domainId}&from=${from}&to=${day(ended)}&bucket=hour`);
		expect(r).toMatchObject({ domain: { id: t.domainId, name: t.domain }, bucket: "hour", timeZone: "UTC", from });
		expect(r.totals).toEqual({ received: 4, held: 3, deliveredAfterRecovery: 2, bounced: 1 });
		expect(r.holds).toEqual([]);
		expect(r.outages).toHaveLength(1);
		const [outage] = r.outages;
		expect(outage).toMatchObject({ ongoing: false, startedBefore: false, endedAfter: false, cause: expect.stringMatching(/421/) });
		expect(Date.parse(outage?.start ?? "")).toBeGreaterThanOrEqual(started);
		expect(Date.parse(outage?.end ?? "")).toBeLessThanOrEqual(ended);
		expect(r.downtimeSeconds).toBe(outage?.seconds);
		expect(r.availability).toBeLessThanOrEqual(1);

		// Each message sits in the hour of its own timestamp: received and held by arrival, the
		// delivered-after-recovery ones by delivery, the bounce by its last update.
		const rows = (
			await env.DB.prepare("SELECT received_at, held_at, delivered_at, updated_at, status FROM messages WHERE domain_id = ?")
				.bind(t.domainId)
				.all<{ received_at: number; held_at: number | null; delivered_at: number | null; updated_at: number; status: string }>()
		).results;
		const hourOf = (ms: number) => new Date(Math.floor(ms / HOUR) * HOUR).toISOString();
		const expected = new Map<string, Report["totals"]>();
		const bump = (ms: number, key: keyof Report["totals"]) => {
			const k = hourOf(ms);
			const b = expected.get(k) ?? { received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0 };
			b[key]++;
			expected.set(k, b);
		};
		for (const m of rows) {
			bump(m.received_at, "received");
			if (m.held_at !== null) bump(m.received_at, "held");
			if (m.held_at !== null && m.delivered_at !== null) bump(m.delivered_at, "deliveredAfterRecovery");
			if (m.status === "bounced") bump(m.updated_at, "bounced");
		}
		const nonEmpty = r.series.filter((p) => p.received + p.held + p.deliveredAfterRecovery + p.bounced > 0);
		expect(Object.fromEntries(nonEmpty.map(({ start, ...counts }) => [start, counts]))).toEqual(Object.fromEntries(expected));
	});
});

describe("buckets", () => {
	it("count each message once, in the bucket of its own timestamp, up to the period's last millisecond", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const rows: Row[] = [
			{ receivedAt: at("2025-03-09T23:59:59.999Z") }, // before the period
			{ receivedAt: at("2025-03-10T00:00:00.000Z"), heldAt: at("2025-03-10T00:00:01Z") },
			{ receivedAt: at("2025-03-10T01:00:00Z"), heldAt: at("2025-03-10T01:00:00Z"), deliveredAt: at("2025-03-12T00:00:01Z") },
			{ receivedAt: at("2025-03-11T23:59:59.999Z") },
			{ receivedAt: at("2025-03-12T00:00:00.000Z") }, // after the period
			// Held before the period, delivered in it: counted when delivered, not as received.
			{ receivedAt: at("2025-03-08T09:00:00Z"), heldAt: at("2025-03-08T09:00:00Z"), deliveredAt: at("2025-03-10T05:00:00Z") },
			// Delivered straight away (never held): received, but not "after recovery".
			{ receivedAt: at("2025-03-11T08:00:00Z"), deliveredAt: at("2025-03-11T08:00:01Z") },
			// Bounced the next day: counted on the day it bounced.
			{
				receivedAt: at("2025-03-10T10:00:00Z"),
				heldAt: at("2025-03-10T10:00:00Z"),
				status: "bounced",
				updatedAt: at("2025-03-11T10:00:00Z"),
			},
			// A Sent copy written in the Emergency Inbox is not mail received for the domain.
			{ receivedAt: at("2025-03-10T12:00:00Z"), direction: "out", deliveredAt: at("2025-03-10T12:00:01Z") },
		];
		for (const m of rows) await insertMessage(t, m);
		await insertMessage(other, { receivedAt: at("2025-03-10T12:00:00Z"), heldAt: at("2025-03-10T12:00:00Z") });

		const r = await report(await signInAdmin(t), `domain=${t.domainId}&from=2025-03-10&to=2025-03-11`);
		expect(r).toMatchObject({
			from: "2025-03-10",
			to: "2025-03-11",
			bucket: "day",
			periodStart: "2025-03-10T00:00:00.000Z",
			periodEnd: "2025-03-12T00:00:00.000Z",
		});
		expect(r.series).toEqual([
			{ start: "2025-03-10T00:00:00.000Z", received: 3, held: 3, deliveredAfterRecovery: 1, bounced: 0 },
			{ start: "2025-03-11T00:00:00.000Z", received: 2, held: 0, deliveredAfterRecovery: 0, bounced: 1 },
		]);
		expect(r.totals).toEqual({ received: 5, held: 3, deliveredAfterRecovery: 1, bounced: 1 });
	});

	it("by the hour: one point per UTC hour", async () => {
		const t = await createTenant();
		for (const iso of ["2025-03-10T00:30:00Z", "2025-03-10T01:59:59.999Z", "2025-03-10T02:00:00Z", "2025-03-11T23:00:00Z"])
			await insertMessage(t, { receivedAt: at(iso) });
		const r = await report(await signInAdmin(t), `domain=${t.domainId}&from=2025-03-10&to=2025-03-11&bucket=hour`);
		expect(r.series).toHaveLength(48);
		expect(r.series[0]?.start).toBe("2025-03-10T00:00:00.000Z");
		expect(r.series.slice(0, 3).map((p) => p.received)).toEqual([1, 1, 1]);
		expect(r.series[47]).toMatchObject({ start: "2025-03-11T23:00:00.000Z", received: 1 });
		expect(r.totals.received).toBe(4);
	});

	it("leave out buckets that have not begun, and default to the last 30 days by day", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const now = Date.now();
		const today = day(now);
		const tomorrow = day(now + DAY);
		const upToToday = await reportAt(now, admin, `domain=${t.domainId}&from=${today}&to=${tomorrow}&bucket=hour`);
		expect(upToToday.series.length).toBe(new Date(now).getUTCHours() + 1);
		expect(upToToday.periodEnd).toBe(`${day(now + 2 * DAY)}T00:00:00.000Z`);

		const byDefault = await reportAt(now, admin, `domain=${t.domainId}`);
		expect(byDefault).toMatchObject({ bucket: "day", from: day(now - 29 * DAY), to: today });
		expect(byDefault.series).toHaveLength(30);
	});
});

describe("outages", () => {
	it("are clipped to the period, an open one lasts to the period's end, and holds are a timeline of their own", async () => {
		const t = await createTenant();
		await insertEvent(t, "domain.down", at("2025-03-09T22:00:00Z"), { error: "cannot connect to 127.0.0.1:9" });
		await insertEvent(t, "domain.up", at("2025-03-10T02:00:00Z"), { error: null });
		await insertEvent(t, "domain.hold", at("2025-03-10T12:00:00Z"));
		await insertEvent(t, "domain.hold", at("2025-03-10T12:30:00Z")); // again while held: changes nothing
		await insertEvent(t, "domain.release", at("2025-03-10T13:00:00Z"));
		await insertEvent(t, "domain.down", at("2025-03-11T20:00:00Z"), { error: "421 4.3.2 Service not available" });
		// Another domain's outage is not this one's.
		const other = await createTenant();
		await insertEvent(other, "domain.down", at("2025-03-10T06:00:00Z"), { error: "elsewhere" });

		const admin = await signInAdmin(t);
		const r = await report(admin, `domain=${t.domainId}&from=2025-03-10&to=2025-03-11`);
		expect(r.outages).toEqual([
			{
				start: "2025-03-10T00:00:00.000Z",
				end: "2025-03-10T02:00:00.000Z",
				seconds: 7200,
				ongoing: false,
				startedBefore: true,
				endedAfter: false,
				cause: "cannot connect to 127.0.0.1:9",
			},
			{
				start: "2025-03-11T20:00:00.000Z",
				end: "2025-03-12T00:00:00.000Z",
				seconds: 14400,
				ongoing: true,
				startedBefore: false,
				endedAfter: true,
				cause: "421 4.3.2 Service not available",
			},
		]);
		expect(r.holds).toEqual([
			{
				start: "2025-03-10T12:00:00.000Z",
				end: "2025-03-10T13:00:00.000Z",
				seconds: 3600,
				ongoing: false,
				startedBefore: false,
				endedAfter: false,
			},
		]);
		// A hold is the admin's choice, not the server's downtime.
		expect(r.downtimeSeconds).toBe(21600);
		expect(r.observedSeconds).toBe(2 * 86400);
		expect(r.availability).toBe(1 - 21600 / (2 * 86400));

		// A period after the first outage and before the second: none.
		const quiet = await report(admin, `domain=${t.domainId}&from=2025-03-01&to=2025-03-09&bucket=day`);
		expect(quiet.outages.map((o) => [o.start, o.end])).toEqual([["2025-03-09T22:00:00.000Z", "2025-03-10T00:00:00.000Z"]]);
	});

	it("an outage still open runs to now", async () => {
		const t = await createTenant();
		const cookie = await signInAdmin(t);
		const now = Date.now();
		await insertEvent(t, "domain.down", now - 90 * 60_000, { error: "cannot connect" });
		const r = await reportAt(now, cookie, `domain=${t.domainId}&from=${day(now - DAY)}&to=${day(now)}&bucket=hour`);
		expect(r.outages).toEqual([
			{
				start: new Date(now - 90 * 60_000).toISOString(),
				end: null,
				seconds: 5400,
				ongoing: true,
				startedBefore: false,
				endedAfter: false,
				cause: "cannot connect",
			},
		]);
		expect(r.downtimeSeconds).toBe(5400);
		expect(r.observedSeconds).toBe(Math.round((now - Date.parse(r.periodStart)) / 1000));
	});
});

describe("GET /api/admin/reports.csv", () => {
	it("has one row per bucket, the outages as a second table, formula-safe cells and a named attachment", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		await insertMessage(t, { receivedAt: at("2025-03-10T08:00:00Z"), heldAt: at("2025-03-10T08:00:00Z") });
		await insertEvent(t, "domain.down", at("2025-03-10T07:00:00Z"), { error: '=HYPERLINK("http://evil.example","click")' });
		await insertEvent(t, "domain.up", at("2025-03-10T09:30:00Z"));

		const series = await api(`/admin/reports.csv?domain=${t.domainId}&from=2025-03-10&to=2025-03-12`, admin);
		expect(series.status).toBe(200);
		expect(series.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
		expect(series.headers.get("Content-Disposition")).toBe(`attachment; filename="mail-per-day_${t.domain}_2025-03-10_2025-03-12.csv"`);
		expect((await series.text()).split("\r\n")).toEqual([
			'"day_start_utc","received","held","delivered_after_recovery","bounced"',
			'"2025-03-10T00:00:00.000Z","1","1","0","0"',
			'"2025-03-11T00:00:00.000Z","0","0","0","0"',
			'"2025-03-12T00:00:00.000Z","0","0","0","0"',
			"",
		]);

		const outages = await api(`/admin/reports.csv?domain=${t.domainId}&from=2025-03-10&to=2025-03-12&table=outages`, admin);
		expect(outages.status).toBe(200);
		expect(outages.headers.get("Content-Disposition")).toBe(`attachment; filename="outages_${t.domain}_2025-03-10_2025-03-12.csv"`);
		expect((await outages.text()).split("\r\n")).toEqual([
			'"timeline","start_utc","end_utc","seconds","ongoing","cause"',
			`"outage","2025-03-10T07:00:00.000Z","2025-03-10T09:30:00.000Z","9000","no","'=HYPERLINK(""http://evil.example"",""click"")"`,
			"",
		]);

		const wrongTable = await api(`/admin/reports.csv?domain=${t.domainId}&table=mail`, admin);
		expect(wrongTable.status).toBe(422);
		expect(((await wrongTable.json()) as { detail: string }).detail).toMatch(/^table must be/);
	});
});

describe("refusals", () => {
	it("names the parameter that is wrong", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const cases: [string, RegExp][] = [
			["from=2025-02-30&to=2025-03-01", /^from must be a date written YYYY-MM-DD/],
			["from=2025-03-01&to=March", /^to must be a date written YYYY-MM-DD/],
			["from=2025-03-10&to=2025-03-09", /^from must be on or before to/],
			["from=2024-01-01&to=2025-01-01", /^to must be at most 366 days after from \(the period is 367 days\)/],
			["from=2025-03-01&to=2025-03-15&bucket=hour", /^bucket must be day for periods longer than 14 days \(the period is 15 days\)/],
			["from=2025-03-01&to=2025-03-01&bucket=week", /^bucket must be hour or day/],
		];
		for (const [query, detail] of cases) {
			const res = await api(`/admin/reports?domain=${t.domainId}&${query}`, admin);
			expect(res.status, query).toBe(422);
			expect(res.headers.get("Content-Type")).toBe("application/problem+json");
			expect(((await res.json()) as { detail: string }).detail, query).toMatch(detail);
		}
		// A leap year's 366 days are allowed; hour buckets for 14 days too.
		expect((await api(`/admin/reports?domain=${t.domainId}&from=2024-01-01&to=2024-12-31`, admin)).status).toBe(200);
		expect((await api(`/admin/reports?domain=${t.domainId}&from=2025-03-01&to=2025-03-14&bucket=hour`, admin)).status).toBe(200);
		const noDomain = await api("/admin/reports?from=2025-03-01&to=2025-03-02", admin);
		expect(noDomain.status).toBe(422);
		expect(((await noDomain.json()) as { detail: string }).detail).toMatch(/^domain must be/);
	});

	it("answers 404 for another company's domain, 403 to a user, 401 without a session", async () => {
		const t = await createTenant();
		const other = await createTenant();
		await insertMessage(other, { receivedAt: at("2025-03-10T08:00:00Z") });
		const admin = await signInAdmin(t);
		const user = await signIn(other.alice.email);
		for (const path of ["/admin/reports", "/admin/reports.csv"]) {
			const query = `${path}?domain=${other.domainId}&from=2025-03-10&to=2025-03-10`;
			const foreign = await api(query, admin);
			expect(foreign.status, path).toBe(404);
			expect(await foreign.text()).not.toContain(other.domain);
			expect((await api(query, user)).status, path).toBe(403);
			expect((await api(query, "")).status, path).toBe(401);
		}
	});
});

describe("cost", () => {
	/** `n` inbound messages spread evenly over March 2025, each held and delivered an hour later. */
	async function history(t: Tenant, n: number) {
		await env.DB.prepare(
			`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?1)
			 INSERT INTO messages (id, customer_id, domain_id, user_id, direction, envelope_from, envelope_to, received_at, size, sha256,
				status, held_at, delivered_at, updated_at)
			 SELECT 'h' || i || '-' || ?2, ?3, ?2, ?4, 'in', 'x@example.org', ?5, ?6 + i * (?7 / ?1), 100, hex(randomblob(16)),
				'delivered', ?6 + i * (?7 / ?1), ?6 + i * (?7 / ?1) + ${HOUR}, ?6 + i * (?7 / ?1) + ${HOUR}
			 FROM k`,
		)
			.bind(n, t.domainId, t.customerId, t.alice.id, t.alice.email, at("2025-03-01"), 30 * DAY)
			.run();
	}

	/** Rows the domain object's SQLite read while `step` ran. */
	async function objectRowsRead(t: Tenant, step: () => Promise<unknown>): Promise<number> {
		const read = () => runInDurableObject(relayOf(t), (instance: DomainRelay) => (instance as unknown as Inside).store.io.rowsRead);
		const before = await read();
		await step();
		return (await read()) - before;
	}

	it("reads at most one row per hour of the period from the domain's object, and no message once it has counted", async () => {
		const read: Record<number, number> = {};
		for (const n of [10, 3000]) {
			const t = await createTenant();
			await history(t, n);
			const admin = await signInAdmin(t);
			const query = `domain=${t.domainId}&from=2025-03-01&to=2025-03-31`;
			// The first report of an object that began counting after its domain had mail reads
			// that mail's counts from D1, once.
			const first = await report(admin, query);
			expect(first.totals).toEqual({ received: n, held: n, deliveredAfterRecovery: n, bounced: 0 });
			read[n] = await objectRowsRead(t, () => report(admin, query));
			// From then on a report reads no message: with D1's rows gone, it says the same.
			await env.DB.prepare("DELETE FROM messages WHERE domain_id = ?").bind(t.domainId).run();
			expect(await report(admin, query)).toEqual(first);
		}
		console.log(`domain object rows read per report of 31 days (744 hours) (10 | 3,000 messages): ${JSON.stringify(read)}`);
		// One row per hour with mail (10 messages: 10 hours of arrival, 10 of delivery), and a few
		// of the object's own (its flags); never more than the period's hours.
		expect(read[10]).toBeLessThanOrEqual(20 + 5);
		expect(read[3000]).toBeLessThanOrEqual(744 + 5);
	});

	it("counts each message once when the object began counting in the middle of the domain's mail", async () => {
		const t = await createTenant();
		await insertMessage(t, { receivedAt: Date.now() - 2 * HOUR, heldAt: Date.now() - 2 * HOUR, deliveredAt: Date.now() - HOUR });
		// Live mail creates the object, which counts from then on; the message above is D1's to tell.
		await deliver("s@example.org", t.alice.email, simpleMessage("live"));
		const admin = await signInAdmin(t);
		const query = `domain=${t.domainId}&from=${day(Date.now() - DAY)}&to=${day(Date.now())}&bucket=hour`;
		expect((await report(admin, query)).totals).toEqual({ received: 2, held: 2, deliveredAfterRecovery: 1, bounced: 0 });
		await deliver("s@example.org", t.alice.email, simpleMessage("later"));
		expect((await report(admin, query)).totals).toEqual({ received: 3, held: 3, deliveredAfterRecovery: 1, bounced: 0 });
	});

	it("reads the domain's mail before counting through its indexes, never the whole messages table", async () => {
		const t = await createTenant();
		const params = seedParams({ id: t.domainId, customerId: t.customerId }, Date.now());
		const plans: Record<string, string> = {};
		for (const [key, sql] of [...Object.entries(SEED_SQL), ["transitions", TRANSITIONS_SQL]]) {
			const bound = key === "transitions" ? [t.customerId, t.domainId, Date.now()] : params;
			const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
				.bind(...bound)
				.all<{ detail: string }>();
			plans[key as string] = results.map((r) => r.detail).join(" | ");
		}
		expect(plans.received).toMatch(/SEARCH messages USING INDEX messages_domain_received_idx \(domain_id=\? AND received_at<\?\)/);
		expect(plans.delivered).toMatch(/SEARCH messages USING INDEX messages_domain_\w+ \(domain_id=\?/);
		expect(plans.bounced).toMatch(/SEARCH messages USING INDEX messages_domain_status_idx \(domain_id=\? AND status=\?\)/);
		expect(plans.transitions).toMatch(/SEARCH events USING INDEX events_domain_kind_idx \(domain_id=\? AND kind=\?/);
		for (const plan of Object.values(plans)) expect(plan).not.toMatch(/SCAN (messages|events)\b/);
	});
});
