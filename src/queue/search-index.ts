// ei-index consumer: held mail into its mailbox's search index (src/domain/mailbox-index.ts).
// Mail held as it arrives is indexed by its domain's object from the entry it came with; the
// object queues the rest when it marks it held (holdWaiting, DomainRelay.index), the rebuild job
// (src/queue/reindex.ts) when it walks the mail from before the indexes moved; the consumer
// parses each body from R2 and hands each mailbox its entries in one call. Mail delivered
// without ever being held is never shown, so it is never indexed.
import { and, isNotNull } from "drizzle-orm";
import { openDb } from "../db/client";
import { inJson } from "../db/in-json";
import { messages } from "../db/schema";
import { type IndexEntry, indexEntry, mailboxIndex } from "../domain/mailbox-index";
import { summarize } from "../mail/parse";
import { INDEX_JOB_IDS, type IndexJob } from "./messages";

/** Indexes the job's messages that are in an Emergency Inbox and still have a body. Repeating it changes nothing. */
export async function indexJob(job: IndexJob, env: Env): Promise<void> {
	const rows = await openDb(env.DB)
		.select({
			id: messages.id,
			userId: messages.userId,
			r2Key: messages.r2Key,
			subject: messages.subject,
			fromHeader: messages.fromHeader,
			toHeader: messages.toHeader,
			ccHeader: messages.ccHeader,
		})
		.from(messages)
		.where(and(inJson(messages.id, job.messageIds), isNotNull(messages.heldAt), isNotNull(messages.userId), isNotNull(messages.r2Key)));
	const entries: { userId: string; entry: IndexEntry }[] = [];
	// One body in memory at a time.
	for (const row of rows) {
		const body = await env.MAIL.get(row.r2Key as string);
		// Purged meanwhile: nothing left to search.
		if (!body) continue;
		const summary = await summarize(new Uint8Array(await body.arrayBuffer()));
		entries.push({ userId: row.userId as string, entry: indexEntry(row.id, row, summary.bodyText) });
	}
	const byMailbox = Map.groupBy(entries, (e) => e.userId);
	await Promise.all([...byMailbox].map(([userId, mine]) => mailboxIndex(env, userId).index(mine.map((e) => e.entry))));
}

/** Queues these messages for indexing, INDEX_JOB_IDS to a job, up to 100 jobs per sendBatch (the Queues limit). */
export async function enqueueIndex(env: Env, messageIds: string[]): Promise<void> {
	const jobs: { body: IndexJob }[] = [];
	for (let i = 0; i < messageIds.length; i += INDEX_JOB_IDS)
		jobs.push({ body: { kind: "index", messageIds: messageIds.slice(i, i + INDEX_JOB_IDS) } });
	for (let i = 0; i < jobs.length; i += 100) await env.INDEX_QUEUE.sendBatch(jobs.slice(i, i + 100));
}
