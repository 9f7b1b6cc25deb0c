import { and, eq, gt, lt, or } from "drizzle-orm";
import type { Db } from "./client";
import { inJson } from "./in-json";
import { domains, type MessageStatus, messages } from "./schema";

export type MessageRow = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;

/** Delivered or bounced: the domain's object is done with it, and nothing changes it back. */
export function isFinal(status: MessageStatus): boolean {
	return status === "delivered" || status === "bounced";
}

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
 * Records a received message: its one row. Where its delivery stands (attempts, the last reply)
 * is the domain object's, in its spool and delivery log, not a D1 row per recipient; and no
 * audit event, so the company's audit log does not grow with mail.
 */
export async function insertReceived(db: Db, row: NewMessage & { id: string; receivedAt: number }) {
	await receivedStatement(db, row);
}

/** The insert that records one received message, for a caller that puts several in one batch. */
export function receivedStatement(db: Db, row: NewMessage & { id: string; receivedAt: number }) {
	return db.insert(messages).values(row);
}

/**
 * The stored messages among several redelivery keys with the same bytes, in one round trip:
 * one lookup per domain on messages_redelivery_uq, its recipients bound as one JSON parameter.
 */
export async function findRedeliveries(db: Db, sha256: string, keys: { domainId: string; envelopeTo: string }[]) {
	const byDomain = Map.groupBy(keys, (k) => k.domainId);
	const lookups = [...byDomain].map(([domainId, mine]) =>
		db
			.select({
				id: messages.id,
				domainId: messages.domainId,
				envelopeTo: messages.envelopeTo,
				receivedAt: messages.receivedAt,
				status: messages.status,
			})
			.from(messages)
			.where(
				and(
					eq(messages.domainId, domainId),
					inJson(
						messages.envelopeTo,
						mine.map((k) => k.envelopeTo),
					),
					eq(messages.sha256, sha256),
					eq(messages.direction, "in"),
				),
			),
	);
	const [first, ...rest] = lookups;
	if (!first) return [];
	return (await db.batch([first, ...rest])).flat();
}

/** Where a page of listUnclaimed() ended: the next page starts after this row. */
export interface UnclaimedCursor {
	receivedAt: number;
	id: string;
}

/**
 * Stored messages nobody has claimed since `before`: what the cron sweep hands over again.
 * Ordered by (received_at, id) and paged by keyset (`after`), so a row whose hand-over failed
 * is not read again by the same run's next page.
 */
export async function listUnclaimed(db: Db, before: number, limit: number, after?: UnclaimedCursor) {
	return db
		.select({ id: messages.id, domainName: domains.name, receivedAt: messages.receivedAt, envelopeTo: messages.envelopeTo })
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(
			and(
				eq(messages.status, "received"),
				lt(messages.receivedAt, before),
				after
					? or(gt(messages.receivedAt, after.receivedAt), and(eq(messages.receivedAt, after.receivedAt), gt(messages.id, after.id)))
					: undefined,
			),
		)
		.orderBy(messages.receivedAt, messages.id)
		.limit(limit);
}
