// Groups and their members. Every query takes the customer id first: another company's group
// is indistinguishable from one that does not exist.
import { and, count, eq, gt, inArray } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { eventInsert, type NewEvent } from "./events";
import { groupMembers, groups, users } from "./schema";

export type GroupRow = typeof groups.$inferSelect;

/** The company's groups by address with their member counts, keyset-paged after `cursor` (an address). */
export async function listGroups(db: Db, customerId: string, cursor: string | null, limit: number) {
	return db
		.select({ id: groups.id, address: groups.address, name: groups.name, memberCount: count(groupMembers.userId) })
		.from(groups)
		.leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
		.where(and(eq(groups.customerId, customerId), ...(cursor ? [gt(groups.address, cursor)] : [])))
		.groupBy(groups.id)
		.orderBy(groups.address)
		.limit(limit);
}

export async function findGroup(db: Db, customerId: string, groupId: string): Promise<GroupRow | undefined> {
	return db.query.groups.findFirst({ where: and(eq(groups.customerId, customerId), eq(groups.id, groupId)) });
}

/** The group's members by address; the join re-checks the company. */
export async function groupMembersOf(db: Db, customerId: string, groupId: string) {
	return db
		.select({ id: users.id, email: users.email, displayName: users.displayName, disabledAt: users.disabledAt })
		.from(groupMembers)
		.innerJoin(users, and(eq(users.id, groupMembers.userId), eq(users.customerId, customerId)))
		.where(eq(groupMembers.groupId, groupId))
		.orderBy(users.email);
}

/**
 * The most members a group may have. Each member's copy of a message is one R2 object and four
 * D1 statements in the one batch that stores them all, inside Workers' per-invocation limits
 * (1,000 subrequests and D1 queries): a larger list belongs on the company's own server.
 */
export const MAX_GROUP_MEMBERS = 100;

/** Which of `userIds` are users of the company, in one round trip. */
export async function companyUserIds(db: Db, customerId: string, userIds: string[]): Promise<Set<string>> {
	const lookups = [];
	for (let i = 0; i < userIds.length; i += 90) {
		lookups.push(
			db
				.select({ id: users.id })
				.from(users)
				.where(and(eq(users.customerId, customerId), inArray(users.id, userIds.slice(i, i + 90)))),
		);
	}
	const [first, ...rest] = lookups;
	if (!first) return new Set();
	return new Set((await db.batch([first, ...rest])).flat().map((r) => r.id));
}

/** Inserting member rows: 2 parameters each, so 45 rows a statement stay under D1's 100. */
function memberInserts(db: Db, groupId: string, userIds: string[]): BatchItem<"sqlite">[] {
	const out: BatchItem<"sqlite">[] = [];
	for (let i = 0; i < userIds.length; i += 45) {
		out.push(db.insert(groupMembers).values(userIds.slice(i, i + 45).map((userId) => ({ groupId, userId }))));
	}
	return out;
}

/** The group, its members and the audit event, in one transaction. */
export async function createGroup(db: Db, row: typeof groups.$inferInsert & { id: string }, userIds: string[], event: NewEvent) {
	await db.batch([db.insert(groups).values(row), ...memberInserts(db, row.id, userIds), eventInsert(db, event)]);
}

/** A new name and/or a new member list (replacing the old one), and the audit event, in one transaction. */
export async function updateGroup(
	db: Db,
	customerId: string,
	groupId: string,
	set: { name?: string; members?: string[] },
	event: NewEvent,
) {
	const name =
		set.name === undefined
			? []
			: [
					db
						.update(groups)
						.set({ name: set.name })
						.where(and(eq(groups.customerId, customerId), eq(groups.id, groupId))),
				];
	const members =
		set.members === undefined
			? []
			: [db.delete(groupMembers).where(eq(groupMembers.groupId, groupId)), ...memberInserts(db, groupId, set.members)];
	await db.batch([eventInsert(db, event), ...name, ...members]);
}

export async function deleteGroup(db: Db, customerId: string, groupId: string, event: NewEvent) {
	await db.batch([
		db.delete(groupMembers).where(eq(groupMembers.groupId, groupId)),
		db.delete(groups).where(and(eq(groups.customerId, customerId), eq(groups.id, groupId))),
		eventInsert(db, event),
	]);
}
