// Second factors (issue #12): a user's authenticator secret, sealed; the ten recovery codes
// (user_tokens, keyed hashes, each good once); and the challenge between the password and the
// second factor (a user_tokens row named by the SHA-256 of a cookie-held token, 5 minutes).
import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import type { Db } from "./client";
import { secondFactors, userTokens } from "./schema";

export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Recovery codes do not expire; a far date keeps the column's meaning. */
const NEVER = 8_640_000_000_000_000;

export async function findSecondFactor(db: Db, userId: string) {
	return db.query.secondFactors.findFirst({ where: eq(secondFactors.userId, userId) });
}

/** A secret being set up (sealed), replacing any earlier unconfirmed one; the working one stays until confirmed. */
export async function setPendingSecret(db: Db, userId: string, sealed: string, now: number): Promise<void> {
	await db
		.insert(secondFactors)
		.values({ userId, pendingSecret: sealed, updatedAt: now })
		.onConflictDoUpdate({ target: secondFactors.userId, set: { pendingSecret: sealed, updatedAt: now } });
}

/**
 * The pending secret becomes the user's, with the step its confirming code used, and a fresh
 * set of recovery codes replaces any old one: one batch. False when nothing was pending (a
 * racing confirmation took it).
 */
export async function enableTotp(db: Db, userId: string, pending: string, step: number, recoveryHashes: string[], now: number) {
	const [enabled] = await db.batch([
		db
			.update(secondFactors)
			.set({ totpSecret: pending, pendingSecret: null, enabledAt: now, lastStep: step, updatedAt: now })
			.where(and(eq(secondFactors.userId, userId), eq(secondFactors.pendingSecret, pending)))
			.returning({ userId: secondFactors.userId }),
		db.delete(userTokens).where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "recovery-code"))),
		...recoveryHashes.map((id) => db.insert(userTokens).values({ id, userId, purpose: "recovery-code", expiresAt: NEVER, createdAt: now })),
	]);
	return enabled.length > 0;
}

/** Turns the authenticator off and drops its recovery codes. */
export async function disableTotp(db: Db, userId: string): Promise<void> {
	await db.batch([
		db.delete(secondFactors).where(eq(secondFactors.userId, userId)),
		db.delete(userTokens).where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "recovery-code"))),
	]);
}

/** Records that a code for `step` was used; false if that step (or a later one) was used already: a replay. */
export async function acceptStep(db: Db, userId: string, step: number, now: number): Promise<boolean> {
	const rows = await db
		.update(secondFactors)
		.set({ lastStep: step, updatedAt: now })
		.where(and(eq(secondFactors.userId, userId), lt(secondFactors.lastStep, step)))
		.returning({ userId: secondFactors.userId });
	return rows.length > 0;
}

/** Spends one recovery code; true once. */
export async function spendRecoveryCode(db: Db, userId: string, hash: string, now: number): Promise<boolean> {
	const rows = await db
		.update(userTokens)
		.set({ usedAt: now })
		.where(and(eq(userTokens.id, hash), eq(userTokens.userId, userId), eq(userTokens.purpose, "recovery-code"), isNull(userTokens.usedAt)))
		.returning({ id: userTokens.id });
	return rows.length > 0;
}

export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(userTokens)
		.where(and(eq(userTokens.userId, userId), eq(userTokens.purpose, "recovery-code"), isNull(userTokens.usedAt)));
	return row?.n ?? 0;
}

/** The password was right: a challenge for the second factor, named by the hash of its token. */
export async function issueChallenge(db: Db, userId: string, hash: string, now: number): Promise<void> {
	await db.insert(userTokens).values({ id: hash, userId, purpose: "mfa-challenge", expiresAt: now + CHALLENGE_TTL_MS, createdAt: now });
}

/** Whose challenge this is, while it is open. */
export async function openChallenge(db: Db, hash: string, now: number): Promise<string | null> {
	const row = await db.query.userTokens.findFirst({
		columns: { userId: true },
		where: and(eq(userTokens.id, hash), eq(userTokens.purpose, "mfa-challenge"), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)),
	});
	return row?.userId ?? null;
}

/** Ends a challenge (it was met); true once. */
export async function closeChallenge(db: Db, hash: string, now: number): Promise<boolean> {
	const rows = await db
		.update(userTokens)
		.set({ usedAt: now })
		.where(and(eq(userTokens.id, hash), eq(userTokens.purpose, "mfa-challenge"), isNull(userTokens.usedAt)))
		.returning({ id: userTokens.id });
	return rows.length > 0;
}
