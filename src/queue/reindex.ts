// The search indexes' rebuild from the bodies in R2, after migration 0014 dropped D1's index:
// walks every held message once, in keyset pages over messages_held_mailbox_idx (held mail
// only), and queues each page for the ei-index consumer. Resumable: the position is saved in
// background_jobs after each page, so a run cut short goes on from there next time; idempotent:
// a page queued twice is indexed once (src/domain/mailbox-index.ts).
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { backgroundJobs, messages } from "../db/schema";
import type { Clock } from "../lib/clock";
import { enqueueIndex } from "./search-index";

export const SEARCH_REBUILD = "search-rebuild";
const PAGE = 500;
/** A cron run's share: 20 pages are 60 binding calls (a read, a sendBatch, a write each). */
const MAX_PAGES = 20;

type Position = [userId: string, folder: string, id: string];

/** Queues the next pages of held mail for indexing; returns how many messages it queued. */
export async function rebuildSearch(env: Env, clock: Clock, { maxPages = MAX_PAGES }: { maxPages?: number } = {}): Promise<number> {
	const db = openDb(env.DB);
	const job = await db.query.backgroundJobs.findFirst({ where: eq(backgroundJobs.name, SEARCH_REBUILD) });
	if (!job || job.finishedAt !== null) return 0;
	let at = job.cursor ? (JSON.parse(job.cursor) as Position) : null;
	let queued = 0;
	for (let page = 0; page < maxPages; page++) {
		const rows = await db
			.select({ id: messages.id, userId: messages.userId, folder: messages.folder })
			.from(messages)
			.where(
				and(
					isNotNull(messages.heldAt),
					isNotNull(messages.userId),
					...(at ? [sql`(${messages.userId}, ${messages.folder}, ${messages.id}) > (${at[0]}, ${at[1]}, ${at[2]})`] : []),
				),
			)
			.orderBy(asc(messages.userId), asc(messages.folder), asc(messages.id))
			.limit(PAGE);
		// Queued before the position moves past them: a crash in between queues them again.
		await enqueueIndex(
			env,
			rows.map((r) => r.id),
		);
		const last = rows.at(-1);
		if (last) at = [last.userId as string, last.folder, last.id];
		queued += rows.length;
		const now = clock.now();
		const finished = rows.length < PAGE;
		await db
			.update(backgroundJobs)
			.set({
				cursor: at ? JSON.stringify(at) : "",
				done: sql`${backgroundJobs.done} + ${rows.length}`,
				finishedAt: finished ? now : null,
				updatedAt: now,
			})
			.where(eq(backgroundJobs.name, SEARCH_REBUILD));
		if (finished) break;
	}
	return queued;
}
