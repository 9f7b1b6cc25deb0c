// Delivered bodies are dropped by their domain's own alarm when their retention ends (issue
// #11): no cron step scans every company's delivered mail. Bodies from before are handed to
// the objects once by a resumable job; a pass drops a bounded batch and reads only what is due.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DomainRelay } from "../../src/domain/domain-relay";
import { mailboxIndex } from "../../src/domain/mailbox-index";
import type { SpoolStore } from "../../src/domain/spool-store";
import { handOverRetention, RETENTION_HANDOVER } from "../../src/queue/retention-handover";
import { configure, relayOf, setClock } from "./downstream";
import { createTenant, objectsUnder, seedDelivered, type Tenant } from "./helpers";

const DAY = 86_400_000;
const clock = { now: () => Date.now() };

const withBody = async (t: Tenant) =>
	(await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL")
		.bind(t.domainId)
		.first<number>("n")) ?? 0;

const kept = (t: Tenant) =>
	runInDurableObject(
		relayOf(t),
		(_: DomainRelay, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM bodies").one().n,
	);

async function restartJob() {
	await env.DB.prepare("UPDATE background_jobs SET cursor = '', done = 0, finished_at = NULL WHERE name = ?")
		.bind(RETENTION_HANDOVER)
		.run();
}

describe("the hand-over of bodies delivered before the objects kept them", () => {
	it("gives each body to its domain's object once, when cut short and run again", async () => {
		await restartJob();
		const t = await createTenant();
		await seedDelivered(t, 1_200);
		// One call a run: one page of 500 (one domain), then the job stops until the next run.
		expect(await handOverRetention(env, clock, { maxCalls: 1 })).toBe(500);
		expect(await kept(t)).toBe(500);
		expect(
			await env.DB.prepare("SELECT finished_at FROM background_jobs WHERE name = ?").bind(RETENTION_HANDOVER).first("finished_at"),
		).toBeNull();
		expect(await handOverRetention(env, clock)).toBeGreaterThanOrEqual(700);
		expect(await kept(t)).toBe(1_200);
		expect(
			await env.DB.prepare("SELECT finished_at FROM background_jobs WHERE name = ?").bind(RETENTION_HANDOVER).first("finished_at"),
		).not.toBeNull();
		expect(await handOverRetention(env, clock)).toBe(0);
	});
});

describe("the domain's alarm", () => {
	it("drops 1,200 due bodies in passes of 200: search entries, rows (r2_key null), then objects", async () => {
		await restartJob();
		const t = await createTenant();
		await seedDelivered(t, 1_200);
		await handOverRetention(env, clock);
		expect(await mailboxIndex(env, t.alice.id).size()).toBe(1_200);

		await runDurableObjectAlarm(relayOf(t));
		expect(await withBody(t)).toBe(1_000);
		// More are due: the object re-arms at once, not at the next retention end.
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBeLessThanOrEqual(Date.now());
		for (let pass = 0; pass < 5; pass++) await runDurableObjectAlarm(relayOf(t));

		expect(await withBody(t)).toBe(0);
		expect(await kept(t)).toBe(0);
		expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(0);
		expect(await mailboxIndex(env, t.alice.id).search("bulkword", null, 10)).toEqual([]);
		// The delivery log stays: only bodies go.
		expect(await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE domain_id = ?").bind(t.domainId).first("n")).toBe(1_200);
	});

	it("follows the policy when it changes, for mail already delivered too", async () => {
		await restartJob();
		const t = await createTenant();
		await seedDelivered(t, 10);
		await configure(t, { retain_held_seconds: 30 * 86_400 });
		await handOverRetention(env, clock);
		await runDurableObjectAlarm(relayOf(t));
		expect(await withBody(t)).toBe(10);
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBeGreaterThan(Date.now() + 29 * DAY);

		await configure(t, { retain_held_seconds: 0 });
		await runDurableObjectAlarm(relayOf(t));
		expect(await withBody(t)).toBe(0);
	});

	it("reads the same rows for a pass with 100 or 5,000 bodies kept and none due", async () => {
		const figures: number[] = [];
		for (const n of [100, 5_000]) {
			const t = await createTenant();
			await configure(t, { retain_held_seconds: 30 * 86_400 });
			await relayOf(t).retain(
				Array.from({ length: n }, (_, i) => ({ messageId: `kept-${n}-${i}`, deliveredAt: Date.now() - i, held: true })),
				t.domain,
			);
			await setClock(t, Date.now());
			const read = () =>
				runInDurableObject(relayOf(t), (instance: DomainRelay) => (instance as unknown as { store: SpoolStore }).store.io.rowsRead);
			const before = await read();
			await runDurableObjectAlarm(relayOf(t));
			figures.push((await read()) - before);
		}
		console.log("rows read by an alarm pass (100 | 5,000 bodies kept, none due):", JSON.stringify(figures));
		expect(figures[0]).toBeGreaterThan(0);
		expect(figures[1]).toBe(figures[0]);
	});
});
