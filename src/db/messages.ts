import { and, desc, eq, isNotNull, lt } from "drizzle-orm";
import { batchAtomically, type Db } from "./client";
import { deliveries, domains, events, messages } from "./schema";
import { indexStatement } from "./search";

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** The stored message for this redelivery key, if any: same domain, recipient and bytes. */
export async function findRedelivery(db: Db, domainId: string, envelopeTo: string, sha256: string) {
	return db.query.messages.findFirst({
		columns: { id: true, status: true, receivedAt: true },
		where: and(
			eq(messages.domainId, domainId),
			eq(messages.envelopeTo, envelopeTo),
			eq(messages.sha256, sha256),
			eq(messages.direction, "in"),
		),
	});
}

/**
 * Records a received message, its delivery row and its log event in one D1 batch (a
 * transaction): either all three are visible or none is.
 */
export async function insertReceived(
	db: Db,
	row: NewMessage & { id: string; receivedAt: number },
	deliveryId: string,
	eventId: string,
	bodyText: string,
) {
	const userId = row.userId;
	const search = userId ? [indexStatement({ ...row, userId }, bodyText)] : [];
	await batchAtomically(db, [
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
		...search,
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
