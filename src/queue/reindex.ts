// The search indexes' rebuild from the bodies in R2, after migration 0014 dropped D1's index:
// walks every held message once, in keyset pages over messages_held_mailbox_idx (held mail
// only), and queues each page for the ei-index consumer (idempotent: a page queued twice is
// indexed once, src/domain/mailbox-index.ts). Position and progress: src/queue/background-job.ts.
import { and, asc, isNotNull, sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { messages } from "../db/schema";
import type { Clock } from "../lib/clock";
import { runJob } from "./background-job";
import { enqueueIndex } from "./search-index";

export const SEARCH_REBUILD = "search-rebuild";
const PAGE = 500;
/** A cron run's share: 20 pages are 60 binding calls (a read, a sendBatch, a write each). */
const MAX_PAGES = 20;

type Position = [userId: string, folder: string, id: string];

/** Queues the next pages of held mail for indexing; returns how many messages it queued. */
export async function rebuildSearch(env: Env, clock: Clock, { maxPages = MAX_PAGES }: { maxPages?: number } = {}): Promise<number> {
	const db = openDb(env.DB);
	return runJob<Position>(env, clock, SEARCH_REBUILD, maxPages, async (at) => {
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
		await enqueueIndex(
			env,
			rows.map((r) => r.id),
		);
		const last = rows.at(-1);
		return { handled: rows.length, full: rows.length === PAGE, at: last ? [last.userId as string, last.folder, last.id] : null, cost: 1 };
	});
}
