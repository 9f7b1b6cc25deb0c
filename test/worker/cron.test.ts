// The cron trigger at volume: the unclaimed sweep and the upload purge drain a backlog in one
// run (pages of BATCH up to a per-run budget), the search index takes any number of ids, and
// one failing step does not stop the others. Rows are seeded with set-based SQL, not one ingest each.
import { createScheduledController, env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { purgeAbandonedUploads } from "../../src/bodies/retention";
import { runCronSteps } from "../../src/cron";
import { unindexMessages } from "../../src/db/search";
import { mailboxIndex } from "../../src/domain/mailbox-index";
import worker from "../../src/index";
import { sweepUnclaimed } from "../../src/ingest/sweep";
import { newId } from "../../src/lib/ids";
import { handOverRetention, RETENTION_HANDOVER } from "../../src/queue/retention-handover";
import { relayOf } from "./downstream";
import { createTenant, objectsUnder, putAll, seedDelivered, type Tenant } from "./helpers";

const DAY = 86_400_000;
const now = () => Date.now();
const clock = { now };

/** `count` messages of one tenant stored at `receivedAt` that never reached their domain's object (status received). */
async function seedUnclaimed(t: Tenant, count: number, receivedAt: number) {
	const prefix = newId();
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, updated_at)
		 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
		 SELECT ?2 || '-' || i, ?3, ?4, ?5, 'x@example.org', ?6, 'orphan ' || i, ?7, 10, ?2 || '-' || i, 'c/' || ?3 || '/m/' || ?2 || '-' || i || '.eml', ?7
		 FROM n`,
	)
		.bind(count, prefix, t.customerId, t.domainId, t.alice.id, t.alice.email, receivedAt)
		.run();
}

/** A domain whose Durable Object throws on every hand-over: its retry schedule is not JSON. */
async function broken(t: Tenant): Promise<Tenant> {
	await env.DB.prepare("UPDATE domains SET retry_schedule = 'not json' WHERE id = ?").bind(t.domainId).run();
	return t;
}

/** Takes a broken domain's unclaimed mail out of later sweeps (its object keeps the bad config cached). */
async function settle(t: Tenant) {
	await env.DB.prepare("UPDATE messages SET status = 'bounced' WHERE domain_id = ? AND status = 'received'").bind(t.domainId).run();
}

/** The retention hand-over as migration 0016 leaves it: an earlier test's run in this file does not count. */
async function restartJob() {
	await env.DB.prepare("UPDATE background_jobs SET cursor = '', done = 0, finished_at = NULL WHERE name = ?")
		.bind(RETENTION_HANDOVER)
		.run();
}

const count = (sql: string, ...params: unknown[]) =>
	env.DB.prepare(sql)
		.bind(...params)
		.first<number>("n");

describe("purgeAbandonedUploads", () => {
	it("removes 1,200 day-old uploads, files and rows, in one run", async () => {
		const t = await createTenant();
		const prefix = newId();
		await env.DB.prepare(
			`INSERT INTO uploads (id, customer_id, user_id, r2_key, filename, content_type, size, created_at)
			 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200)
			 SELECT ?1 || '-' || i, ?2, ?3, 'c/' || ?2 || '/u/' || ?1 || '-' || i, 'f.txt', 'text/plain', 1, ?4 FROM n`,
		)
			.bind(prefix, t.customerId, t.alice.id, Date.now() - 2 * DAY)
			.run();
		await putAll(Array.from({ length: 1200 }, (_, i) => `c/${t.customerId}/u/${prefix}-${i + 1}`));

		expect(await purgeAbandonedUploads(env, clock)).toBeGreaterThanOrEqual(1200);

		expect(await count("SELECT count(*) AS n FROM uploads WHERE customer_id = ?", t.customerId)).toBe(0);
		expect(await objectsUnder(`c/${t.customerId}/u/`)).toBe(0);
	});
});

describe("sweepUnclaimed", () => {
	it("hands 1,200 unclaimed messages to their domain's object in one run, a page at a time", async () => {
		const t = await createTenant();
		await seedUnclaimed(t, 1200, Date.now() - 10 * 60_000);

		expect(await sweepUnclaimed(env, clock)).toBeGreaterThanOrEqual(1200);

		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND status = 'received'", t.domainId)).toBe(0);
	});

	it("hands the other domains' mail over when one domain's object fails, then reports that failure", async () => {
		const good = await createTenant();
		const bad = await broken(await createTenant());
		// The broken domain's mail is older, so it comes first in the page.
		await seedUnclaimed(bad, 3, Date.now() - 20 * 60_000);
		await seedUnclaimed(good, 3, Date.now() - 10 * 60_000);
		try {
			await expect(sweepUnclaimed(env, clock)).rejects.toThrow(AggregateError);
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND status = 'received'", good.domainId)).toBe(0);
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND status = 'received'", bad.domainId)).toBe(3);
		} finally {
			await settle(bad);
		}
	});
});

describe("unindexMessages", () => {
	it("takes any number of ids, one call per mailbox", async () => {
		const mailboxes = [newId(), newId(), newId()];
		const rows = mailboxes.flatMap((userId) => Array.from({ length: 50 }, () => ({ id: newId(), userId })));
		for (const userId of mailboxes)
			await mailboxIndex(env, userId).index(
				rows.filter((r) => r.userId === userId).map((r) => ({ messageId: r.id, subject: "", addresses: "", body: "w" })),
			);
		expect(await unindexMessages(env, rows)).toBe(3);
		for (const userId of mailboxes) expect(await mailboxIndex(env, userId).size()).toBe(0);
	});
});

describe("the cron run", () => {
	it("runs every step when one throws, logs the failed step by name and still fails the run", async () => {
		await restartJob();
		const t = await createTenant();
		await seedDelivered(t, 3);
		const ran: string[] = [];
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		try {
			const run = runCronSteps([
				{
					name: "first",
					run: async () => {
						ran.push("first");
						return 1;
					},
				},
				{ name: "failing", run: () => Promise.reject(new Error("boom")) },
				{ name: "handOverRetention", run: () => handOverRetention(env, clock).finally(() => ran.push("handOverRetention")) },
			]);
			const failure = await run.then(
				() => null,
				(err: unknown) => err,
			);
			expect(failure).toBeInstanceOf(AggregateError);
			expect((failure as AggregateError).message).toBe("cron: 1 of 3 steps failed (failing)");
			expect((failure as AggregateError).errors).toHaveLength(1);
			expect(ran).toEqual(["first", "handOverRetention"]);
			expect(errors).toHaveBeenCalledWith("cron step failing failed:", expect.objectContaining({ message: "boom" }));
			// The step after the failing one did its work: the domain's object now drops the bodies.
			await runDurableObjectAlarm(relayOf(t));
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
		} finally {
			errors.mockRestore();
		}
	});

	it("purges when the sweep fails for real (a broken domain), and the scheduled handler reports the failure", async () => {
		await restartJob();
		const bad = await broken(await createTenant());
		await seedUnclaimed(bad, 2, Date.now() - 10 * 60_000);
		const t = await createTenant();
		await seedDelivered(t, 600);
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		try {
			await expect(worker.scheduled(createScheduledController(), env)).rejects.toThrow("cron: 1 of 4 steps failed (sweepUnclaimed)");
			expect(errors).toHaveBeenCalledWith("cron step sweepUnclaimed failed:", expect.any(AggregateError));
			// The steps after it still ran: the retention hand-over, past one page; the object drops the bodies.
			for (let pass = 0; pass < 3; pass++) await runDurableObjectAlarm(relayOf(t));
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
			expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(0);
		} finally {
			errors.mockRestore();
			await settle(bad);
		}
	});
});
