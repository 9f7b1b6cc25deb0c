// The search index lives in one Durable Object per mailbox (src/domain/mailbox-index.ts);
// storage-side code that removes mail drops its entries through the MAILBOX binding.

/** Drops these messages from their mailboxes' indexes, one call per mailbox; returns the calls made. */
export async function unindexMessages(env: Env, rows: { id: string; userId: string | null }[]): Promise<number> {
	const byMailbox = Map.groupBy(
		rows.filter((r) => r.userId !== null),
		(r) => r.userId as string,
	);
	await Promise.all([...byMailbox].map(([userId, mine]) => env.MAILBOX.get(env.MAILBOX.idFromName(userId)).unindex(mine.map((r) => r.id))));
	return byMailbox.size;
}
