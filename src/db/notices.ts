import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { notices } from "./schema";

type NoticeKey = { messageId: string; customerId: string; recipient: string; kind: string; mark: number };

/**
 * Claims the right to send one notice. Returns false when it was already sent or skipped:
 * the unique key makes a redelivered job, a re-run alarm or two racing consumers send it once.
 */
export async function claimNotice(db: Db, key: NoticeKey, id: string, now: number): Promise<boolean> {
	await db
		.insert(notices)
		.values({ id, ...key, createdAt: now })
		.onConflictDoNothing();
	const row = await db.query.notices.findFirst({
		where: and(
			eq(notices.messageId, key.messageId),
			eq(notices.recipient, key.recipient),
			eq(notices.kind, key.kind),
			eq(notices.mark, key.mark),
		),
	});
	return row !== undefined && row.sentAt === null && row.skipped === null;
}

export async function settleNotice(db: Db, key: NoticeKey, result: { sentAt: number } | { skipped: string }) {
	await db
		.update(notices)
		.set(result)
		.where(
			and(
				eq(notices.messageId, key.messageId),
				eq(notices.recipient, key.recipient),
				eq(notices.kind, key.kind),
				eq(notices.mark, key.mark),
				isNull(notices.sentAt),
			),
		);
}
