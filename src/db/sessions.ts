import { and, eq, gt, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { customers, type Role, secondFactors, sessions, users } from "./schema";

export interface SessionPrincipal {
	sessionId: string;
	lastSeenAt: number;
	userId: string;
	email: string;
	displayName: string;
	role: Role;
	customerId: string | null;
	partnerId: string | null;
	/** Set while a customer admin views a user's Emergency Inbox. */
	viewing: { userId: string; email: string; displayName: string; reason: string; canAct: boolean } | null;
	/**
	 * The account's role needs a second factor and it has none yet: the session may only set one
	 * up (requireSession refuses the rest). Partners and operators always; a company's
	 * administrators unless the company turned it off.
	 */
	mustEnrol: boolean;
}

const viewed = alias(users, "viewed");

export interface NewSession {
	id: string;
	userId: string;
	now: number;
	expiresAt: number;
	ip: string | null;
	userAgent: string | null;
	viewing?: { userId: string; reason: string; canAct: boolean } | null;
}

function sessionValues(row: NewSession) {
	return {
		id: row.id,
		userId: row.userId,
		createdAt: row.now,
		lastSeenAt: row.now,
		expiresAt: row.expiresAt,
		ip: row.ip,
		userAgent: row.userAgent,
		viewingUserId: row.viewing?.userId ?? null,
		viewingReason: row.viewing?.reason ?? null,
		viewingCanAct: row.viewing?.canAct ?? false,
	};
}

export async function insertSession(db: Db, row: NewSession) {
	await db.insert(sessions).values(sessionValues(row));
}

/**
 * Replaces a session with a new one (new token) in one batch: done whenever what a session
 * may do changes, so a token seen before the change is worth nothing after it.
 */
export async function rotateSession(db: Db, oldId: string, row: NewSession) {
	await db.batch([
		db
			.update(sessions)
			.set({ revokedAt: row.now })
			.where(and(eq(sessions.id, oldId), isNull(sessions.revokedAt))),
		db.insert(sessions).values(sessionValues(row)),
	]);
}

/** A live session and its user: not revoked, not expired, not idle past `idleSince`, user enabled. */
export async function findLiveSession(
	db: Db,
	id: string,
	now: number,
	idleSince: number,
): Promise<(SessionPrincipal & { expiresAt: number }) | undefined> {
	const [row] = await db
		.select({
			sessionId: sessions.id,
			lastSeenAt: sessions.lastSeenAt,
			userId: users.id,
			email: users.email,
			displayName: users.displayName,
			role: users.role,
			customerId: users.customerId,
			partnerId: users.partnerId,
			expiresAt: sessions.expiresAt,
			viewingUserId: viewed.id,
			viewingEmail: viewed.email,
			viewingDisplayName: viewed.displayName,
			viewingCustomerId: viewed.customerId,
			viewingReason: sessions.viewingReason,
			viewingCanAct: sessions.viewingCanAct,
			factorSince: secondFactors.enabledAt,
			adminsNeedFactor: customers.requireAdminSecondFactor,
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
		.leftJoin(viewed, eq(viewed.id, sessions.viewingUserId))
		.leftJoin(secondFactors, eq(secondFactors.userId, users.id))
		.leftJoin(customers, eq(customers.id, users.customerId))
		.where(
			and(
				eq(sessions.id, id),
				isNull(sessions.revokedAt),
				gt(sessions.expiresAt, now),
				gt(sessions.lastSeenAt, idleSince),
				isNull(users.disabledAt),
			),
		)
		.limit(1);
	if (!row) return undefined;
	const {
		viewingUserId,
		viewingEmail,
		viewingDisplayName,
		viewingCustomerId,
		viewingReason,
		viewingCanAct,
		factorSince,
		adminsNeedFactor,
		...rest
	} = row;
	const needsFactor =
		rest.role === "partner_admin" || rest.role === "operator" || (rest.role === "customer_admin" && adminsNeedFactor === true);
	// Only ever a user of the admin's own company (re-checked on every request, not just at start).
	const viewing =
		viewingUserId && viewingEmail && viewingCustomerId === row.customerId && row.role === "customer_admin"
			? {
					userId: viewingUserId,
					email: viewingEmail,
					displayName: viewingDisplayName ?? "",
					reason: viewingReason ?? "",
					canAct: viewingCanAct,
				}
			: null;
	return { ...rest, viewing, mustEnrol: needsFactor && factorSince === null };
}

export async function touchSession(db: Db, id: string, now: number) {
	await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
}

export async function revokeSession(db: Db, id: string, now: number) {
	await db
		.update(sessions)
		.set({ revokedAt: now })
		.where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
}
