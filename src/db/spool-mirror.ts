// What a domain's Durable Object writes to D1: message status and held_at as mail moves
// through its spool (the Emergency Inbox reads them), and its health changes. Each UPDATE
// touches only the rows its step may change, so a late or repeated write never moves a
// message backwards.
import { and, eq, inArray, isNull, notInArray } from "drizzle-orm";
import type { Db } from "./client";
import { appendEvent, event } from "./events";
import { messages } from "./schema";

/** D1 allows 100 bound parameters per statement. */
const CHUNK = 90;

function* chunks(ids: string[]): Generator<string[]> {
	for (let i = 0; i < ids.length; i += CHUNK) yield ids.slice(i, i + CHUNK);
}

/**
 * Claimed by the domain's object: `received` becomes `spooled` (any later status stays).
 * `held`: held during an outage or a hold, so held_at is set (once) and the user sees it.
 */
export async function markSpooled(db: Db, ids: string[], now: number, options: { held: boolean }): Promise<void> {
	for (const chunk of chunks(ids)) {
		const spooled = db
			.update(messages)
			.set({ status: "spooled", updatedAt: now })
			.where(and(inArray(messages.id, chunk), eq(messages.status, "received")));
		if (!options.held) {
			await spooled;
			continue;
		}
		// Both in one round trip: the object awaits this for every accepted message while down.
		await db.batch([
			spooled,
			db
				.update(messages)
				.set({ heldAt: now, updatedAt: now })
				.where(and(inArray(messages.id, chunk), isNull(messages.heldAt))),
		]);
	}
}

/** In a delivery batch on the queue; a message already delivered or bounced stays so. */
export async function markQueued(db: Db, ids: string[], now: number): Promise<void> {
	for (const chunk of chunks(ids))
		await db
			.update(messages)
			.set({ status: "queued", updatedAt: now })
			.where(and(inArray(messages.id, chunk), notInArray(messages.status, ["delivered", "bounced"])));
}

/** Given up on (expired, or bounced by an admin); the failure DSN is the object's to send. */
export async function markBounced(db: Db, ids: string[], now: number): Promise<void> {
	for (const chunk of chunks(ids)) await db.update(messages).set({ status: "bounced", updatedAt: now }).where(inArray(messages.id, chunk));
}

/** The domain went down or came back: one event in the customer's log (reports chart these). */
export async function recordHealthChange(
	db: Db,
	domain: { id: string; customerId: string },
	state: "up" | "down",
	error: string | null,
	at: number,
): Promise<void> {
	await appendEvent(
		db,
		event(at, {
			customerId: domain.customerId,
			domainId: domain.id,
			kind: state === "down" ? "domain.down" : "domain.up",
			detail: { error },
		}),
	);
}
