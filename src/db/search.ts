// The search index lives in one Durable Object per mailbox (src/domain/mailbox-index.ts);
// storage-side code that removes mail drops its entries through the MAILBOX binding.

/** Drops these messages from their mailboxes' indexes, one call per mailbox; returns the calls made. */
export async function unindexMessages(env: Env, rows: { id: string; userId: string | null }[]): Promise<number> {
	const byMailbox = new Map<string, string[]>();
	for (const r of rows) if (r.userId) byMailbox.set(r.userId, [...(byMailbox.get(r.userId) ?? []), r.id]);
	await Promise.all([...byMailbox].map(([userId, ids]) => env.MAILBOX.get(env.MAILBOX.idFromName(userId)).unindex(ids)));
	return byMailbox.size;
}
