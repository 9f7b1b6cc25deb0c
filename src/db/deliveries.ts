import { and, eq, notInArray } from "drizzle-orm";
import type { Outcome } from "../relay/types";
import type { Db } from "./client";
import { inJson } from "./in-json";
import { messages } from "./schema";

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

/**
 * Records one attempt per message in one D1 batch: the message's status (what the Emergency
 * Inbox and a redelivered job read). Runs before the queue message is acknowledged; the
 * attempt itself (its reply, the count) is the domain object's, in the report that follows.
 */
export async function recordAttempts(db: Db, attempts: { message: PendingMessage; outcome: Outcome }[], now: number) {
	const [first, ...rest] = attempts.map(({ message, outcome }) =>
		db
			.update(messages)
			.set({ status: STATUS[outcome.kind], updatedAt: now, ...(outcome.kind === "delivered" ? { deliveredAt: now } : {}) })
			.where(eq(messages.id, message.id)),
	);
	if (first) await db.batch([first, ...rest]);
}
