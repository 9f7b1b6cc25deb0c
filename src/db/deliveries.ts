import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Outcome } from "../relay/types";
import type { Db } from "./client";
import { inJson } from "./in-json";
import { deliveries, messages } from "./schema";

export interface PendingMessage {
	id: string;
	customerId: string;
	domainId: string;
	envelopeFrom: string;
	envelopeTo: string;
	receivedAt: number;
	r2Key: string | null;
	status: string;
	heldAt: number | null;
}

/** The batch's messages still to deliver: anything final (delivered, bounced) is left out. */
export async function loadPending(db: Db, ids: string[]): Promise<PendingMessage[]> {
	if (ids.length === 0) return [];
	return db
		.select({
			id: messages.id,
			customerId: messages.customerId,
			domainId: messages.domainId,
			envelopeFrom: messages.envelopeFrom,
			envelopeTo: messages.envelopeTo,
			receivedAt: messages.receivedAt,
			r2Key: messages.r2Key,
			status: messages.status,
			heldAt: messages.heldAt,
		})
		.from(messages)
		.where(and(inJson(messages.id, ids), notInArray(messages.status, ["delivered", "bounced"])));
}

const STATUS = { delivered: "delivered", tempfail: "deferred", permfail: "bounced" } as const;
const DELIVERY_STATE = { delivered: "delivered", tempfail: "deferred", permfail: "failed" } as const;

/**
 * Records one attempt per message in one D1 batch: the delivery row and the message status.
 * Runs before the queue message is acknowledged; the attempt's line in the delivery log is
 * the domain object's, written when this batch is reported to it.
 */
export async function recordAttempts(db: Db, attempts: { message: PendingMessage; outcome: Outcome }[], now: number) {
	if (attempts.length === 0) return;
	const statements = attempts.flatMap(({ message, outcome }) => [
		db
			.update(deliveries)
			.set({
				state: DELIVERY_STATE[outcome.kind],
				// Incremented in SQL, so two racing consumers cannot lose a count.
				attempts: sql`${deliveries.attempts} + 1`,
				lastAttemptAt: now,
				lastCode: outcome.code,
				lastEnhancedCode: outcome.enhanced,
				lastText: outcome.text.slice(0, 1000),
				...(outcome.kind === "delivered" ? { deliveredAt: now } : {}),
			})
			.where(and(eq(deliveries.messageId, message.id), eq(deliveries.recipient, message.envelopeTo))),
		db
			.update(messages)
			.set({ status: STATUS[outcome.kind], updatedAt: now, ...(outcome.kind === "delivered" ? { deliveredAt: now } : {}) })
			.where(eq(messages.id, message.id)),
	]);
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
}
