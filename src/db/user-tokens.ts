// One-time links mailed to a user (the welcome mail's "choose your password"). Only the
// SHA-256 of a token is stored, as the row's id, so a copy of the database opens no account.
// A user has at most one working link: issuing a new one spends the older ones.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import { customers, sessions, users, userTokens } from "./schema";

export const SET_PASSWORD_TTL_MS = 7 * 86_400_000;

const unusedOf = (userId: string) => and(eq(userTokens.userId, userId), eq(userTokens.purpose, "set-password"), isNull(userTokens.usedAt));

/** Stores a new set-password token (its hash) and spends every older unused one, atomically. */
export async function issueSetPasswordToken(db: Db, userId: string, hash: string, now: number): Promise<number> {
	const expiresAt = now + SET_PASSWORD_TTL_MS;
	await db.batch([
		db.update(userTokens).set({ usedAt: now }).where(unusedOf(userId)),
		db.insert(userTokens).values({ id: hash, userId, purpose: "set-password", expiresAt, createdAt: now }),
	]);
	return expiresAt;
}

/** Makes one token unusable (its mail could not be sent, so nobody holds it). */
export async function spendToken(db: Db, hash: string, now: number): Promise<void> {
	await db
		.update(userTokens)
		.set({ usedAt: now })
		.where(and(eq(userTokens.id, hash), isNull(userTokens.usedAt)));
}

/** The account a set-password token opens, if the token is unused, unexpired and the account enabled. */
export async function findUsableToken(db: Db, hash: string, now: number) {
	const [row] = await db
		.select({ userId: users.id, email: users.email, customerId: users.customerId })
		.from(userTokens)
		.innerJoin(users, eq(users.id, userTokens.userId))
		.where(
			and(
				eq(userTokens.id, hash),
				eq(userTokens.purpose, "set-password"),
				isNull(userTokens.usedAt),
				gt(userTokens.expiresAt, now),
				isNull(users.disabledAt),
			),
		)
		.limit(1);
	return row;
}

/**
 * Spends the token and sets the password in one batch, and ends every session of the account
 * (whoever knew the old password is signed out). Two requests racing with one token: only the
 * one whose batch spends it sets a password. False when the token was spent meanwhile.
 */
export async function setPasswordWithToken(db: Db, hash: string, userId: string, passwordHash: string, now: number): Promise<boolean> {
	const [spent] = await db.batch([
		db
			.update(userTokens)
			.set({ usedAt: now })
			.where(and(eq(userTokens.id, hash), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
			.returning({ id: userTokens.id }),
		db
			.update(users)
			.set({ passwordHash })
			.where(
				and(
					eq(users.id, userId),
					isNull(users.disabledAt),
					sql`(SELECT ${userTokens.usedAt} FROM ${userTokens} WHERE ${userTokens.id} = ${hash}) = ${now}`,
				),
			),
		db.update(userTokens).set({ usedAt: now }).where(unusedOf(userId)),
		db
			.update(sessions)
			.set({ revokedAt: now })
			.where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt))),
	]);
	return spent.length > 0;
}

/** The company lets its users sign in with mailed codes (Administration → Company). */
export async function companyAllowsCodes(db: Db, customerId: string): Promise<boolean> {
	const row = await db.query.customers.findFirst({ columns: { signinCodes: true }, where: eq(customers.id, customerId) });
	return row?.signinCodes === true;
}

/** A sign-in code works for 10 minutes, and for at most MAX_CODE_ATTEMPTS tries. */
export const SIGNIN_CODE_TTL_MS = 10 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

const openCodesOf = (userId: string) =>
	and(eq(userTokens.userId, userId), eq(userTokens.purpose, "signin-code"), isNull(userTokens.usedAt));

/** Stores a new sign-in code (its keyed hash) and spends the user's older ones, atomically: one code works at a time. */
export async function issueSigninCode(db: Db, userId: string, hash: string, now: number): Promise<number> {
	const expiresAt = now + SIGNIN_CODE_TTL_MS;
	await db.batch([
		db.update(userTokens).set({ usedAt: now }).where(openCodesOf(userId)),
		db.insert(userTokens).values({ id: hash, userId, purpose: "signin-code", expiresAt, createdAt: now }),
	]);
	return expiresAt;
}

/**
 * Spends the user's code if `hash` is it, unused and unexpired: true once, however many
 * requests race with it. Otherwise the try counts against the user's open code, which is spent
 * at MAX_CODE_ATTEMPTS, so six digits cannot be walked through.
 */
export async function spendSigninCode(db: Db, userId: string, hash: string, now: number): Promise<boolean> {
	const [spent] = await db
		.update(userTokens)
		.set({ usedAt: now })
		.where(and(eq(userTokens.id, hash), openCodesOf(userId), gt(userTokens.expiresAt, now)))
		.returning({ id: userTokens.id });
	if (spent) return true;
	await db
		.update(userTokens)
		.set({
			attempts: sql`${userTokens.attempts} + 1`,
			usedAt: sql`CASE WHEN ${userTokens.attempts} + 1 >= ${MAX_CODE_ATTEMPTS} THEN ${now} ELSE NULL END`,
		})
		.where(openCodesOf(userId));
	return false;
}
