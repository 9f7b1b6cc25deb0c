import { and, isNotNull, lt } from "drizzle-orm";
import { type Db, openDb } from "../db/client";
import { inJson } from "../db/in-json";
import { messages, uploads } from "../db/schema";
import { unindexMessages } from "../db/search";
import type { Clock } from "../lib/clock";
import { drainPages } from "../lib/pages";

/**
 * The upload purge works in pages of BATCH rows, set-based: per page one SELECT, one D1 write
 * and one R2 delete of the page's keys (R2 `delete` takes up to 1,000 keys:
 * developers.cloudflare.com/r2/api/workers/workers-api-reference/), so 3 binding calls.
 * MAX_PAGES = 20 bounds a run at 10,000 rows and 60 calls, well inside the 1,000 subrequests
 * we budget for a cron invocation (developers.cloudflare.com/workers/platform/limits/).
 */
const BATCH = 500;
export const MAX_PAGES = 20;

export interface PurgeOptions {
	/** Pages this run may take; MAX_PAGES unless a test wants a smaller budget. */
	maxPages?: number;
}

/**
 * Drops the bodies of these delivered messages, whose retention has ended: the metadata row
 * stays (the delivery log), the R2 object goes, and with it the message's search entry. Called
 * by the domain's object when its alarm finds them due (DomainRelay.dropBodies): at most a
 * page of ids, so one D1 read, one write, one R2 delete and a call per mailbox. Returns how
 * many bodies it dropped; an id whose body is already gone counts for nothing.
 */
export async function purgeBodies(env: Env, ids: string[], now: number): Promise<number> {
	if (ids.length === 0) return 0;
	const db = openDb(env.DB);
	const rows = await db
		.select({ id: messages.id, r2Key: messages.r2Key, userId: messages.userId, heldAt: messages.heldAt })
		.from(messages)
		.where(and(inJson(messages.id, ids), isNotNull(messages.r2Key)));
	if (rows.length === 0) return 0;
	// The body's words go first (they must not outlive it; only held mail was indexed), then the
	// row: a reader then gets "expired" (410), never a row pointing at nothing; then the body.
	await unindexMessages(
		env,
		rows.filter((r) => r.heldAt !== null),
	);
	await db
		.update(messages)
		.set({ r2Key: null, updatedAt: now })
		.where(
			and(
				inJson(
					messages.id,
					rows.map((r) => r.id),
				),
				isNotNull(messages.r2Key),
			),
		);
	await env.MAIL.delete(rows.map((r) => r.r2Key as string));
	return rows.length;
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
