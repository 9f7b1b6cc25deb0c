import type { Db } from "./client";
import { events } from "./schema";

export type NewEvent = typeof events.$inferInsert;

/** Appends to the audit and delivery log. Events are never updated or deleted. */
export async function appendEvent(db: Db, event: NewEvent & { id: string; createdAt: number }) {
	await db.insert(events).values(event);
}
