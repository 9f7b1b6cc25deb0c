import { and, desc, eq, getTableColumns, like, lt } from "drizzle-orm";
import type { Db } from "./client";
import { events, users } from "./schema";

export type NewEvent = typeof events.$inferInsert;

/** Appends to the audit and delivery log. Events are never updated or deleted. */
export async function appendEvent(db: Db, event: NewEvent & { id: string; createdAt: number }) {
	await db.insert(events).values(event);
}

/**
 * The customer's log, newest first, keyset-paged on the ULID id through events_customer_idx,
 * with who acted by address and role (a partner's admin acting for the customer is named too;
 * a deleted account leaves only its id).
 */
export async function listCustomerEvents(db: Db, customerId: string, options: { kindPrefix?: string; before?: string; limit: number }) {
	const filters = [eq(events.customerId, customerId)];
	if (options.kindPrefix) filters.push(like(events.kind, `${options.kindPrefix.replace(/[%_]/g, "")}%`));
	if (options.before) filters.push(lt(events.id, options.before));
	return db
		.select({ ...getTableColumns(events), actorEmail: users.email, actorRole: users.role })
		.from(events)
		.leftJoin(users, eq(users.id, events.actorUserId))
		.where(and(...filters))
		.orderBy(desc(events.id))
		.limit(options.limit);
}
