import { and, eq, notInArray } from "drizzle-orm";
import { batchAtomically, type Db } from "./client";
import { event, eventInsert } from "./events";
import { inJson } from "./in-json";
import { deliveries, messages, uploads } from "./schema";

export type NewMessage = typeof messages.$inferInsert;

/**
 * Records mail sent from the Emergency Inbox in one batch: the sender's Sent copy (part of
 * the Emergency Inbox, so held_at is set), one delivery row per recipient, the log event
 * and the uploads it consumed. Its search entry is written before, by the caller.
 */
export async function insertSent(
	db: Db,
	row: NewMessage & { id: string; userId: string; receivedAt: number },
	recipients: string[],
	uploadIds: string[],
	newId: () => string,
	/** Who pressed Send: the user, or an admin acting in the user's inbox. */
	actorUserId: string,
) {
	await batchAtomically(db, [
		db.insert(messages).values(row),
		...recipients.map((recipient) =>
			db.insert(deliveries).values({
				id: newId(),
				messageId: row.id,
				customerId: row.customerId,
				domainId: row.domainId,
				recipient,
				createdAt: row.receivedAt,
			}),
		),
		eventInsert(
			db,
			event(row.receivedAt, {
				customerId: row.customerId,
				domainId: row.domainId,
				messageId: row.id,
				actorUserId,
				kind: "message.sent",
				detail: { recipients: recipients.length, size: row.size },
			}),
		),
		...(uploadIds.length > 0 ? [db.delete(uploads).where(and(eq(uploads.userId, row.userId), inJson(uploads.id, uploadIds)))] : []),
	]);
}

/** Recipients of a sent message still to deliver. */
export async function pendingRecipients(db: Db, messageId: string) {
	return db
		.select()
		.from(deliveries)
		.where(and(eq(deliveries.messageId, messageId), notInArray(deliveries.state, ["delivered", "failed"])));
}
