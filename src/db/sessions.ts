import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "./client";
import { type Role, sessions, users } from "./schema";

export interface SessionPrincipal {
	sessionId: string;
	lastSeenAt: number;
	userId: string;
	email: string;
	displayName: string;
	role: Role;
	customerId: string | null;
	partnerId: string | null;
}

export async function insertSession(
	db: Db,
	row: { id: string; userId: string; now: number; expiresAt: number; ip: string | null; userAgent: string | null },
) {
	await db.insert(sessions).values({
		id: row.id,
		userId: row.userId,
		createdAt: row.now,
		lastSeenAt: row.now,
		expiresAt: row.expiresAt,
		ip: row.ip,
		userAgent: row.userAgent,
	});
}

/** A live session and its user: not revoked, not expired, not idle past `idleSince`, user enabled. */
export async function findLiveSession(db: Db, id: string, now: number, idleSince: number): Promise<SessionPrincipal | undefined> {
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
		})
		.from(sessions)
		.innerJoin(users, eq(users.id, sessions.userId))
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
	return row;
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
