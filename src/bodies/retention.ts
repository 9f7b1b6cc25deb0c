import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import { type Db, openDb } from "../db/client";
import { inJson } from "../db/in-json";
import { domains, messages, uploads } from "../db/schema";
import { unindexMessages } from "../db/search";
import type { Clock } from "../lib/clock";
import { drainPages } from "../lib/pages";

/**
 * Each purge works in pages of BATCH rows, set-based: per page one SELECT, one D1 write (a
 * batch is one call) and one R2 delete of the page's keys (R2 `delete` takes up to 1,000
 * keys: developers.cloudflare.com/r2/api/workers/workers-api-reference/), so 3 binding calls.
 * Binding calls count against the Workers Paid limit of 1,000 subrequests per invocation
 * (developers.cloudflare.com/workers/platform/limits/#subrequests; newer pages list 10,000,
 * we budget for 1,000). MAX_PAGES = 20 bounds a run at 10,000 rows and 60 calls per purge,
 * so both purges and the sweep (src/ingest/sweep.ts) fit in one cron invocation; a larger
 * backlog takes the next run (every 5 minutes).
 */
const BATCH = 500;
export const MAX_PAGES = 20;
/**
 * Mailbox objects told to drop a purged body's search entries, per run: with the sweep's 700
 * and the purges' 120 binding calls, a run stays under 1,000. A page that would need more
 * stops there; the next run goes on from it.
 */
const MAILBOX_CALLS = 150;

export interface PurgeOptions {
	/** Pages this run may take; MAX_PAGES unless a test wants a smaller budget. */
	maxPages?: number;
}

/**
 * Drops the bodies of delivered mail past its domain's retention window: the metadata row
 * stays (the delivery log), the R2 object goes. Held mail keeps `retain_held_seconds` (it was
 * read in the Emergency Inbox and stays readable there, marked delivered), other mail
 * `retain_delivered_seconds`. Runs from the cron trigger; returns how many it purged.
 */
export async function purgeExpiredBodies(env: Env, clock: Clock, { maxPages = MAX_PAGES }: PurgeOptions = {}): Promise<number> {
	const db = openDb(env.DB);
	const now = clock.now();
	const budget = { mailboxCalls: MAILBOX_CALLS };
	return drainPages(BATCH, maxPages, () => purgeExpiredPage(env, db, now, budget));
}

async function purgeExpiredPage(env: Env, db: Db, now: number, budget: { mailboxCalls: number }): Promise<number> {
	const window = sql`(CASE WHEN ${messages.heldAt} IS NULL THEN ${domains.retainDeliveredSeconds} ELSE ${domains.retainHeldSeconds} END) * 1000`;
	const rows = await db
		.select({ id: messages.id, r2Key: messages.r2Key, userId: messages.userId, heldAt: messages.heldAt })
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(and(isNotNull(messages.r2Key), isNotNull(messages.deliveredAt), lt(sql`${messages.deliveredAt} + ${window}`, now)))
		.orderBy(messages.deliveredAt)
		.limit(BATCH);
	// Only held mail was indexed (src/queue/search-index.ts). The page ends where its
	// mailboxes would exceed the run's budget of calls.
	const mailboxes = new Set<string>();
	let take = 0;
	for (const r of rows) {
		const indexed = r.heldAt !== null && r.userId !== null;
		if (indexed && !mailboxes.has(r.userId as string)) {
			if (mailboxes.size >= budget.mailboxCalls) break;
			mailboxes.add(r.userId as string);
		}
		take += 1;
	}
	const page = rows.slice(0, take);
	if (page.length === 0) return 0;
	// The body's words go first (they must not outlive it), then the row: a reader then gets
	// "expired" (410), never a row pointing at nothing; then the body.
	budget.mailboxCalls -= await unindexMessages(
		env,
		page.filter((r) => r.heldAt !== null),
	);
	await db
		.update(messages)
		.set({ r2Key: null, updatedAt: now })
		.where(
			and(
				inJson(
					messages.id,
					page.map((r) => r.id),
				),
				isNotNull(messages.r2Key),
			),
		);
	const keys = page.flatMap((r) => (r.r2Key ? [r.r2Key] : []));
	if (keys.length > 0) await env.MAIL.delete(keys);
	return page.length;
}

/** Files uploaded for a message that was never sent are kept a day, then removed. */
const UPLOAD_TTL_MS = 86_400_000;

export async function purgeAbandonedUploads(env: Env, clock: Clock, { maxPages = MAX_PAGES }: PurgeOptions = {}): Promise<number> {
	const db = openDb(env.DB);
	const cutoff = clock.now() - UPLOAD_TTL_MS;
	return drainPages(BATCH, maxPages, () => purgeUploadsPage(env, db, cutoff));
}

async function purgeUploadsPage(env: Env, db: Db, cutoff: number): Promise<number> {
	const rows = await db.select({ id: uploads.id, r2Key: uploads.r2Key }).from(uploads).where(lt(uploads.createdAt, cutoff)).limit(BATCH);
	if (rows.length === 0) return 0;
	// Files first: a row whose file is gone is found and removed again by the next page or
	// run, while a file whose row went first would be found by nothing.
	await env.MAIL.delete(rows.map((r) => r.r2Key));
	await db.delete(uploads).where(
		inJson(
			uploads.id,
			rows.map((r) => r.id),
		),
	);
	return rows.length;
}
