// The domain object's spool at scale and under interleaving: what it marks held in D1, and
// that each call reads only what is due, whatever the size of the queue.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DomainRelay } from "../../src/domain/domain-relay";
import { SPOOL_SCHEMA } from "../../src/domain/spool-sql";
import { SpoolStore } from "../../src/domain/spool-store";
import { newId } from "../../src/lib/ids";
import { configure, relayOf, setClock, statusOf } from "./downstream";
import { createTenant, type Tenant } from "./helpers";

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The parts of the object a test reaches past its RPC surface. */
type Inside = { env: Env; ctx: DurableObjectState; store: SpoolStore; pump(): Promise<void> };

/**
 * `n` messages already held in the spool, arriving 1 ms apart from `from`, written straight
 * into the object's SQLite (only the columns every schema version has) for speed. They have
 * no D1 row: the tests stay clear of their warning and expiry times.
 */
async function fill(t: Tenant, n: number, from: number): Promise<void> {
	await runInDurableObject(relayOf(t), (instance: DomainRelay) => {
		(instance as unknown as Inside).ctx.storage.sql.exec(
			`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ? - 1)
			 INSERT INTO spool (message_id, recipient, received_at, state, next_attempt_at, held)
			 SELECT printf('fill-%06d', i), 'user' || (i % 500) || '@example.com', ? + i, 'waiting', 0, 2 FROM seq`,
			n,
			from,
		);
	});
}

async function alarmOf(t: Tenant): Promise<number | null> {
	return runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
}

/** Rows the object's SQLite read while `step` ran. */
async function rowsRead(t: Tenant, step: () => Promise<unknown>): Promise<number> {
	const read = () => runInDurableObject(relayOf(t), (instance: DomainRelay) => (instance as unknown as Inside).store.io.rowsRead);
	const before = await read();
	await step();
	return (await read()) - before;
}

/** A message stored in D1 as ingest leaves it (`received`), not yet handed to the object. */
async function storedMessage(t: Tenant): Promise<string> {
	const id = newId();
	const now = Date.now();
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, updated_at)
		 VALUES (?, ?, ?, ?, 'x@example.org', ?, 'spool test', ?, 10, ?, ?, ?)`,
	)
		.bind(id, t.customerId, t.domainId, t.alice.id, t.alice.email, now, crypto.randomUUID(), `c/${t.customerId}/m/${id}.eml`, now)
		.run();
	return id;
}

describe("holding mail during an outage or a hold", () => {
	it("marks held exactly the messages it mirrored to D1, not one accepted while D1 was awaited", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const first = await storedMessage(t);
		const late = await storedMessage(t);
		await runInDurableObject(relayOf(t), async (instance: DomainRelay) => {
			const inside = instance as unknown as Inside;
			const realEnv = inside.env;
			let arrived = false;
			// The late message reaches the spool while the first one's held_at is being written.
			const db = new Proxy(env.DB, {
				get(target, prop) {
					if (prop === "prepare")
						return (query: string) => {
							if (!arrived && /^update "messages"/i.test(query)) {
								arrived = true;
								inside.ctx.storage.sql.exec(
									"INSERT INTO spool (message_id, recipient, received_at, state, next_attempt_at) VALUES (?, ?, ?, 'waiting', 0)",
									late,
									t.alice.email,
									Date.now(),
								);
							}
							return target.prepare(query);
						};
					const value = Reflect.get(target, prop);
					return typeof value === "function" ? value.bind(target) : value;
				},
			});
			inside.env = { ...realEnv, DB: db };
			try {
				await instance.acceptMany([{ id: first, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);
			} finally {
				inside.env = realEnv;
			}
			expect(arrived).toBe(true);
		});
		// Any later pass of the object (here an admin's change) holds what is not held yet.
		await relayOf(t).configChanged();
		expect(await statusOf(first)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect(await statusOf(late)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect((await relayOf(t).status()).spooled).toBe(2);
	});
});

describe("a domain with tens of thousands of messages waiting", () => {
	it("keeps taking mail and arms the alarm at the earliest warning with 70,000 held", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const from = Date.now() - HOUR;
		await fill(t, 70_000, from);
		const id = await storedMessage(t);
		await relayOf(t).acceptMany([{ id, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);
		expect(await statusOf(id)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect(await alarmOf(t)).toBe(from + 4 * HOUR);
		// Nothing is due yet: the alarm runs, sends nothing and keeps its time.
		expect(await runDurableObjectAlarm(relayOf(t))).toBe(true);
		expect(await alarmOf(t)).toBe(from + 4 * HOUR);
		expect((await relayOf(t).status()).spooled).toBe(70_001);
		// An admin moves the first warning to 2 hours: every row's next event follows.
		await configure(t, { delay_warnings: "[7200,86400]" });
		expect(await alarmOf(t)).toBe(from + 2 * HOUR);
	});

	it("reads a bounded number of rows per call, the same with 100 and with 20,000 waiting", async () => {
		const figures: Record<number, Record<string, number>> = {};
		for (const n of [100, 20_000]) {
			const t = await createTenant();
			await configure(t, { held: 1 });
			await fill(t, n, Date.now() - HOUR);
			// The first call learns the domain and computes every row's next event (once).
			const warm = await storedMessage(t);
			await relayOf(t).acceptMany([{ id: warm, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);

			const id = await storedMessage(t);
			figures[n] = {
				acceptMany: await rowsRead(t, () => relayOf(t).acceptMany([{ id, receivedAt: Date.now(), recipient: t.alice.email }], t.domain)),
				pump: await rowsRead(t, () => runInDurableObject(relayOf(t), (instance: DomainRelay) => (instance as unknown as Inside).pump())),
				alarm: await rowsRead(t, () => runDurableObjectAlarm(relayOf(t))),
				status: await rowsRead(t, () => relayOf(t).status()),
			};
			expect((await relayOf(t).status()).spooled).toBe(n + 2);
		}
		console.log("rows read per call (100 | 20,000 waiting):", JSON.stringify(figures));
		// The same at both sizes, call by call; and small: the counts, the meta keys, the summary's last copy.
		expect(figures[20_000]).toEqual(figures[100]);
		for (const [call, read] of Object.entries(figures[100] ?? {})) expect(read, call).toBeLessThanOrEqual(30);
	});
});

describe("the alarm's pass over due events", () => {
	it("takes a bounded batch and re-arms at once while more are due", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const warm = await storedMessage(t);
		await relayOf(t).acceptMany([{ id: warm, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);
		// Rows whose next event is not computed yet (0): all due for a look, none with a notice due.
		const from = Date.now() - HOUR;
		await fill(t, 1_200, from);
		await relayOf(t).configChanged();
		const passes: (number | null)[] = [];
		for (let i = 0; i < 3; i++) {
			await runDurableObjectAlarm(relayOf(t));
			passes.push(await alarmOf(t));
		}
		const [first, second, third] = passes;
		expect(first).toBeLessThanOrEqual(Date.now());
		expect(second).toBeLessThanOrEqual(Date.now());
		// Nothing more due in the spool: next is the summary's write, at most a minute after the last one.
		expect(third).toBeGreaterThan(Date.now() - MINUTE);
		expect(third).toBeLessThanOrEqual(Date.now() + MINUTE);
		await setClock(t, third as number);
		await runDurableObjectAlarm(relayOf(t));
		expect(await alarmOf(t)).toBe(from + 4 * HOUR);
		expect((await relayOf(t).status()).spooled).toBe(1_201);
	});
});

describe("an object created before the spool had indexes and counters (schema version 1)", () => {
	it("migrates itself in place: its held mail is counted, and warned about on time", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const from = Date.now() - HOUR;
		await runInDurableObject(relayOf(t), (instance: DomainRelay) => {
			const sql = (instance as unknown as Inside).ctx.storage.sql;
			// Back to the first schema, as an object written by the old code has it.
			sql.exec(`DROP TABLE spool; DROP TABLE spool_counts; DELETE FROM meta; ${SPOOL_SCHEMA}`);
			expect(sql.exec("SELECT name FROM pragma_table_info('spool') WHERE name = 'next_event_at'").toArray()).toEqual([]);
		});
		await fill(t, 3, from);
		await runInDurableObject(relayOf(t), (instance: DomainRelay) => {
			const sql = (instance as unknown as Inside).ctx.storage.sql;
			// The constructor's work, as a restarted object does it.
			const store = new SpoolStore(sql);
			expect(store.recall("schemaVersion")).toBe("6");
			expect(store.count("waiting")).toBe(3);
			expect(store.count("deferred")).toBe(0);
			// Twice is harmless.
			expect(new SpoolStore(sql).count("waiting")).toBe(3);
		});
		const id = await storedMessage(t);
		await relayOf(t).acceptMany([{ id, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);
		expect((await relayOf(t).status()).spooled).toBe(4);
		expect(await alarmOf(t)).toBe(from + 4 * HOUR);
	});
});
