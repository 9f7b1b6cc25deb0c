import { and, desc, eq, like, lt } from "drizzle-orm";
import type { Db } from "./client";
import { events } from "./schema";

export type NewEvent = typeof events.$inferInsert;

/** Appends to the audit and delivery log. Events are never updated or deleted. */
export async function appendEvent(db: Db, event: NewEvent & { id: string; createdAt: number }) {
	await db.insert(events).values(event);
}

/** The customer's log, newest first, keyset-paged on the ULID id through events_customer_idx. */
export async function listCustomerEvents(db: Db, customerId: string, options: { kindPrefix?: string; before?: string; limit: number }) {
	const filters = [eq(events.customerId, customerId)];
	if (options.kindPrefix) filters.push(like(events.kind, `${options.kindPrefix.replace(/[%_]/g, "")}%`));
	if (options.before) filters.push(lt(events.id, options.before));
	return db
		.select()
		.from(events)
		.where(and(...filters))
		.orderBy(desc(events.id))
		.limit(options.limit);
}
