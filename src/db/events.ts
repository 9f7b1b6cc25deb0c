import { and, desc, eq, getTableColumns, like, lt } from "drizzle-orm";
import { newId } from "../lib/ids";
import type { Db } from "./client";
import { events, users } from "./schema";

export type NewEvent = typeof events.$inferInsert & { id: string; createdAt: number };

/** What an event says; the id and time come from `now`. */
export type EventFields = Omit<NewEvent, "id" | "createdAt" | "detail"> & { detail?: object };

/** An event row at `now`: a new id, and `detail` as JSON (left to the column's "{}" when absent). */
export function event(now: number, fields: EventFields): NewEvent {
	const { detail, ...rest } = fields;
	return { id: newId(now), ...rest, ...(detail === undefined ? {} : { detail: JSON.stringify(detail) }), createdAt: now };
}

/** The insert for an event, to put in the same D1 batch as the change it records. */
export function eventInsert(db: Db, row: NewEvent) {
	return db.insert(events).values(row);
}

/** Appends to the audit and delivery log. Events are never updated or deleted. */
export async function appendEvent(db: Db, row: NewEvent): Promise<void> {
	await eventInsert(db, row);
}

/**
 * Appends an event whose id is derived from what it records (stableId): a second insert of
 * the same id changes nothing. ON CONFLICT DO NOTHING inserts no row and updates none, so
 * the append-only triggers (migrations/0008) do not fire. Returns whether this call wrote it.
 */
export async function appendEventOnce(db: Db, row: NewEvent): Promise<boolean> {
	const result = await db.insert(events).values(row).onConflictDoNothing();
	return result.meta.changes > 0;
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
