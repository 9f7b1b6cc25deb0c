// The cron trigger at volume: each purge drains a backlog in one run (pages of BATCH up to
// a per-run budget), the search index takes any number of ids, and one failing step does
// not stop the others. Rows are seeded with set-based SQL, not one ingest each.
import { createScheduledController, env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { purgeAbandonedUploads, purgeExpiredBodies } from "../../src/bodies/retention";
import { runCronSteps } from "../../src/cron";
import { unindexMessages } from "../../src/db/search";
import { mailboxIndex } from "../../src/domain/mailbox-index";
import worker from "../../src/index";
import { sweepUnclaimed } from "../../src/ingest/sweep";
import { newId } from "../../src/lib/ids";
import { createTenant, type Tenant } from "./helpers";

const DAY = 86_400_000;
const now = () => Date.now();
const clock = { now };

/**
 * `count` messages of one tenant held and then delivered a second ago (its held retention set
 * to 0: due at once), each with a body and an entry in alice's search index.
 */
async function seedDelivered(t: Tenant, count: number): Promise<string[]> {
	const at = Date.now() - 1000;
	const ids = Array.from({ length: count }, () => newId(at));
	await env.DB.prepare("UPDATE domains SET retain_held_seconds = 0 WHERE id = ?").bind(t.domainId).run();
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, status, held_at, delivered_at, updated_at)
		 SELECT value, ?1, ?2, ?3, 'x@example.org', ?4, 'bulk ' || key, ?5, 10, value, 'c/' || ?1 || '/m/' || value || '.eml', 'delivered', ?5, ?5, ?5
		 FROM json_each(?6)`,
	)
		.bind(t.customerId, t.domainId, t.alice.id, t.alice.email, at, JSON.stringify(ids))
		.run();
	await mailboxIndex(env, t.alice.id).index(ids.map((id) => ({ messageId: id, subject: "bulk", addresses: "", body: "bulkword" })));
	await putAll(ids.map((id) => `c/${t.customerId}/m/${id}.eml`));
	return ids;
}

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

async function putAll(keys: string[]) {
	for (let i = 0; i < keys.length; i += 100)
		await Promise.all(keys.slice(i, i + 100).map((k) => env.MAIL.put(k, "Subject: x\r\n\r\nx\r\n")));
}

async function objectsUnder(prefix: string): Promise<number> {
	let n = 0;
	let cursor: string | undefined;
	do {
		const page = await env.MAIL.list({ prefix, cursor });
		n += page.objects.length;
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	return n;
}

const count = (sql: string, ...params: unknown[]) =>
	env.DB.prepare(sql)
		.bind(...params)
		.first<number>("n");

describe("purgeExpiredBodies", () => {
	it("drops 1,200 expired bodies in one run: the index entries, the rows (r2_key null), then the objects", async () => {
		const t = await createTenant();
		await seedDelivered(t, 1200);
		expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(1200);
		expect(await mailboxIndex(env, t.alice.id).size()).toBe(1200);

		expect(await purgeExpiredBodies(env, clock)).toBeGreaterThanOrEqual(1200);

		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ?", t.domainId)).toBe(1200);
		expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(0);
		expect(await mailboxIndex(env, t.alice.id).size()).toBe(0);
		expect(await mailboxIndex(env, t.alice.id).search("bulkword", null, 10)).toEqual([]);
	});

	it("tells at most 150 mailboxes a run to drop entries, and the next run goes on", async () => {
		const t = await createTenant();
		await env.DB.prepare("UPDATE domains SET retain_held_seconds = 0 WHERE id = ?").bind(t.domainId).run();
		const at = Date.now() - 1000;
		const people = Array.from({ length: 200 }, () => ({ user: newId(), message: newId(at) }));
		await env.DB.batch([
			env.DB.prepare(
				`INSERT INTO users (id, customer_id, email) SELECT json_extract(value, '$.user'), ?1, 'u' || key || '@' || ?2 FROM json_each(?3)`,
			).bind(t.customerId, t.domain, JSON.stringify(people)),
			env.DB.prepare(
				`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, received_at, size, sha256, r2_key, status, held_at, delivered_at, updated_at)
				 SELECT json_extract(value, '$.message'), ?1, ?2, json_extract(value, '$.user'), 'x@example.org', 'u@' || ?3, ?4, 10, json_extract(value, '$.message'),
					'c/' || ?1 || '/m/' || json_extract(value, '$.message') || '.eml', 'delivered', ?4, ?4, ?4
				 FROM json_each(?5)`,
			).bind(t.customerId, t.domainId, t.domain, at, JSON.stringify(people)),
		]);
		await Promise.all(
			people.map((p) => mailboxIndex(env, p.user).index([{ messageId: p.message, subject: "", addresses: "", body: "budgetword" }])),
		);
		const indexed = async () => (await Promise.all(people.map((p) => mailboxIndex(env, p.user).size()))).reduce((a, b) => a + b, 0);

		expect(await purgeExpiredBodies(env, clock)).toBe(150);
		expect(await indexed()).toBe(50);
		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(50);
		expect(await purgeExpiredBodies(env, clock)).toBe(50);
		expect(await indexed()).toBe(0);
	});

	it("stops at its page budget and the next run takes the rest", async () => {
		const t = await createTenant();
		await seedDelivered(t, 1200);
		// Two pages of 500: at least 1,200 rows are due, so the budget is what stops it.
		expect(await purgeExpiredBodies(env, clock, { maxPages: 2 })).toBe(1000);
		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBeGreaterThan(0);
		await purgeExpiredBodies(env, clock);
		expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
		expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(0);
	});
});

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
				{ name: "purgeExpiredBodies", run: () => purgeExpiredBodies(env, clock).finally(() => ran.push("purgeExpiredBodies")) },
			]);
			const failure = await run.then(
				() => null,
				(err: unknown) => err,
			);
			expect(failure).toBeInstanceOf(AggregateError);
			expect((failure as AggregateError).message).toBe("cron: 1 of 3 steps failed (failing)");
			expect((failure as AggregateError).errors).toHaveLength(1);
			expect(ran).toEqual(["first", "purgeExpiredBodies"]);
			expect(errors).toHaveBeenCalledWith("cron step failing failed:", expect.objectContaining({ message: "boom" }));
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
		} finally {
			errors.mockRestore();
		}
	});

	it("purges when the sweep fails for real (a broken domain), and the scheduled handler reports the failure", async () => {
		const bad = await broken(await createTenant());
		await seedUnclaimed(bad, 2, Date.now() - 10 * 60_000);
		const t = await createTenant();
		await seedDelivered(t, 600);
		const errors = vi.spyOn(console, "error").mockImplementation(() => {});
		try {
			await expect(worker.scheduled(createScheduledController(), env)).rejects.toThrow("cron: 1 of 4 steps failed (sweepUnclaimed)");
			expect(errors).toHaveBeenCalledWith("cron step sweepUnclaimed failed:", expect.any(AggregateError));
			// The purges after it still ran, past one page.
			expect(await count("SELECT count(*) AS n FROM messages WHERE domain_id = ? AND r2_key IS NOT NULL", t.domainId)).toBe(0);
			expect(await objectsUnder(`c/${t.customerId}/m/`)).toBe(0);
		} finally {
			errors.mockRestore();
			await settle(bad);
		}
	});
});
