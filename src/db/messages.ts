import { and, desc, eq, isNotNull, lt } from "drizzle-orm";
import type { Db } from "./client";
import { deliveries, domains, events, messages } from "./schema";

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** The stored message for this redelivery key, if any: same domain, recipient and bytes. */
export async function findRedelivery(db: Db, domainId: string, envelopeTo: string, sha256: string) {
	return db.query.messages.findFirst({
		columns: { id: true, status: true, receivedAt: true },
		where: and(eq(messages.domainId, domainId), eq(messages.envelopeTo, envelopeTo), eq(messages.sha256, sha256)),
	});
}

/**
 * Records a received message, its delivery row and its log event in one D1 batch (a
 * transaction): either all three are visible or none is.
 */
export async function insertReceived(db: Db, row: NewMessage & { id: string; receivedAt: number }, deliveryId: string, eventId: string) {
	await db.batch([
		db.insert(messages).values(row),
		db.insert(deliveries).values({
			id: deliveryId,
			messageId: row.id,
			customerId: row.customerId,
			domainId: row.domainId,
			recipient: row.envelopeTo,
			createdAt: row.receivedAt,
		}),
		db.insert(events).values({
			id: eventId,
			customerId: row.customerId,
			domainId: row.domainId,
			messageId: row.id,
			kind: "message.received",
			detail: JSON.stringify({ from: row.envelopeFrom, to: row.envelopeTo, size: row.size }),
			createdAt: row.receivedAt,
		}),
	]);
}

/** Stored messages nobody has claimed since `before`: what the cron sweep hands over again. */
export async function listUnclaimed(db: Db, before: number, limit: number) {
	return db
		.select({ id: messages.id, domainName: domains.name, receivedAt: messages.receivedAt, envelopeTo: messages.envelopeTo })
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(and(eq(messages.status, "received"), lt(messages.receivedAt, before)))
		.orderBy(messages.receivedAt)
		.limit(limit);
}

export const listColumns = {
	id: messages.id,
	from: messages.fromHeader,
	to: messages.toHeader,
	subject: messages.subject,
	sentAt: messages.sentAt,
	receivedAt: messages.receivedAt,
	size: messages.size,
	hasAttachments: messages.hasAttachments,
	seen: messages.seen,
	status: messages.status,
	parseError: messages.parseError,
};

/**
 * One page of a mailbox folder, newest first. Keyset pagination on the ULID primary key
 * (arrival order) through messages_held_mailbox_idx: page 1,000 costs what page 1 costs.
 * Only mail that was held (the server down or on hold) is an Emergency Inbox's business;
 * mail delivered normally went to the user's own server.
 */
export async function listMailbox(db: Db, userId: string, folder: "inbox", limit: number, before?: string) {
	const scope = and(eq(messages.userId, userId), eq(messages.folder, folder), isNotNull(messages.heldAt));
	return db
		.select(listColumns)
		.from(messages)
		.where(before ? and(scope, lt(messages.id, before)) : scope)
		.orderBy(desc(messages.id))
		.limit(limit);
}

/** A held message only if `userId` owns it: every read path goes through the owner check. */
export async function getOwnedMessage(db: Db, userId: string, id: string) {
	return db.query.messages.findFirst({ where: and(eq(messages.id, id), eq(messages.userId, userId), isNotNull(messages.heldAt)) });
}
