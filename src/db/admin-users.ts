// Queries behind Company settings → Users. Every one takes the company's id first; the page
// query walks users_customer_idx in address order and the decorations (aliases, groups,
// pending invitations) are one batch keyed by the page's ids, so a page costs the same at any depth.
import { and, asc, eq, gt, gte, isNotNull, isNull, like, lt, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import { inJson } from "./in-json";
import { aliases, domains, groupMembers, groups, type Role, secondFactors, sessions, users, userTokens } from "./schema";

export const USER_PAGE = 100;

const userColumns = {
	id: users.id,
	email: users.email,
	displayName: users.displayName,
	role: users.role,
	alternateEmail: users.alternateEmail,
	disabledAt: users.disabledAt,
	createdAt: users.createdAt,
	// Whether there is one, never the hash itself.
	passwordSet: sql<number>`${users.passwordHash} IS NOT NULL`.as("password_set"),
};

export type UserRow = {
	id: string;
	email: string;
	displayName: string;
	role: Role;
	alternateEmail: string | null;
	disabledAt: number | null;
	createdAt: number;
	passwordSet: number;
};

/** A user with what hangs off the account: aliases, the groups it is in, an unused welcome link. */
export type UserDetailRow = UserRow & {
	aliases: { id: string; address: string }[];
	groups: { name: string; address: string }[];
	invitePending: boolean;
	/** An authenticator app is set up. */
	secondFactor: boolean;
};

/**
 * One page of the company's users in address order, after `cursor` (the previous page's last
 * address). `q` matches the start of the address, or the start of any word of the display name.
 * The address part is a range on users_customer_idx; a name match is filtered along the same
 * index walk, which stops as soon as a page is full.
 */
export function userPageQuery(db: Db, customerId: string, options: { q: string; cursor: string | null }) {
	const q = options.q.toLowerCase().replace(/[%_\\]/g, "");
	const filters: SQL[] = [eq(users.customerId, customerId)];
	if (options.cursor) filters.push(gt(users.email, options.cursor));
	if (q) {
		const byAddress = and(gte(users.email, q), lt(users.email, `${q}\u{10ffff}`)) as SQL;
		filters.push(or(byAddress, like(users.displayName, `${q}%`), like(users.displayName, `% ${q}%`)) as SQL);
	}
	return db
		.select(userColumns)
		.from(users)
		.where(and(...filters))
		.orderBy(asc(users.email))
		.limit(USER_PAGE + 1);
}

export async function listUsers(db: Db, customerId: string, options: { q: string; cursor: string | null; now: number }) {
	const rows = (await userPageQuery(db, customerId, options)) as UserRow[];
	const page = rows.slice(0, USER_PAGE);
	return {
		users: await decorate(db, customerId, page, options.now),
		nextCursor: rows.length > USER_PAGE ? (page.at(-1)?.email ?? null) : null,
	};
}

/** One of the company's users, or undefined (another company's user is the same as none). */
export async function findCompanyUser(db: Db, customerId: string, id: string): Promise<UserRow | undefined> {
	const [row] = (await db
		.select(userColumns)
		.from(users)
		.where(and(eq(users.id, id), eq(users.customerId, customerId)))
		.limit(1)) as UserRow[];
	return row;
}

export async function findCompanyUserDetail(db: Db, customerId: string, id: string, now: number): Promise<UserDetailRow | undefined> {
	const row = await findCompanyUser(db, customerId, id);
	return row ? (await decorate(db, customerId, [row], now))[0] : undefined;
}

/** Aliases, group names and pending invitations of a page of users: one round trip. */
export async function decorate(db: Db, customerId: string, rows: UserRow[], now: number): Promise<UserDetailRow[]> {
	if (rows.length === 0) return [];
	const ids = rows.map((r) => r.id);
	const [aliasRows, groupRows, tokenRows, factorRows] = await db.batch([
		db
			.select({ id: aliases.id, userId: aliases.userId, address: aliases.address })
			.from(aliases)
			.where(and(inJson(aliases.userId, ids), eq(aliases.customerId, customerId)))
			.orderBy(asc(aliases.address)),
		db
			.select({ userId: groupMembers.userId, name: groups.name, address: groups.address })
			.from(groupMembers)
			.innerJoin(groups, eq(groups.id, groupMembers.groupId))
			.where(and(inJson(groupMembers.userId, ids), eq(groups.customerId, customerId)))
			.orderBy(asc(groups.address)),
		db
			.selectDistinct({ userId: userTokens.userId })
			.from(userTokens)
			.where(
				and(
					inJson(userTokens.userId, ids),
					eq(userTokens.purpose, "set-password"),
					isNull(userTokens.usedAt),
					gt(userTokens.expiresAt, now),
				),
			),
		db
			.select({ userId: secondFactors.userId })
			.from(secondFactors)
			.where(and(inJson(secondFactors.userId, ids), isNotNull(secondFactors.enabledAt))),
	]);
	const pending = new Set(tokenRows.map((t) => t.userId));
	const withFactor = new Set(factorRows.map((f) => f.userId));
	return rows.map((r) => ({
		...r,
		aliases: aliasRows.filter((a) => a.userId === r.id).map((a) => ({ id: a.id, address: a.address })),
		groups: groupRows.filter((g) => g.userId === r.id).map((g) => ({ name: g.name, address: g.address })),
		invitePending: pending.has(r.id),
		secondFactor: withFactor.has(r.id),
	}));
}

/** The company's domain names (ASCII): where its users' and aliases' addresses must be. */
export async function companyDomains(db: Db, customerId: string): Promise<string[]> {
	const rows = await db.select({ name: domains.name }).from(domains).where(eq(domains.customerId, customerId));
	return rows.map((r) => r.name);
}

/**
 * True while the company has an enabled administrator other than `userId`. Written into the
 * UPDATE or DELETE that would remove `userId`'s administration, so two admins demoting each
 * other at once cannot both succeed: D1 runs statements one at a time.
 */
export const anotherAdminRemains = (customerId: string, userId: string) =>
	sql`EXISTS (SELECT 1 FROM users AS other WHERE other.customer_id = ${customerId} AND other.role = 'customer_admin' AND other.disabled_at IS NULL AND other.id <> ${userId})`;

/** Ends every live session of a user: a token seen before a change of rights is worth nothing after it. */
export const revokeSessionsOf = (db: Db, userId: string, now: number, guard?: SQL) =>
	db
		.update(sessions)
		.set({ revokedAt: now })
		.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), guard));

/** Which of `addresses` already name a user, an alias or a group (in any company): one round trip. */
export async function takenAddresses(db: Db, addresses: string[]): Promise<Map<string, "user" | "alias" | "group">> {
	const taken = new Map<string, "user" | "alias" | "group">();
	if (addresses.length === 0) return taken;
	const [u, a, g] = await db.batch([
		db.select({ address: users.email }).from(users).where(inJson(users.email, addresses)),
		db.select({ address: aliases.address }).from(aliases).where(inJson(aliases.address, addresses)),
		db.select({ address: groups.address }).from(groups).where(inJson(groups.address, addresses)),
	]);
	for (const r of g) taken.set(r.address, "group");
	for (const r of a) taken.set(r.address, "alias");
	for (const r of u) taken.set(r.address, "user");
	return taken;
}
