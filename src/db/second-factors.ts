// Second factors (issue #12): a user's authenticator secret, sealed; the ten recovery codes
// (user_tokens, keyed hashes, each good once); and the challenge between the password and the
// second factor (a user_tokens row named by the SHA-256 of a cookie-held token, 5 minutes).
import { and, count, eq, gt, isNull, lt } from "drizzle-orm";
import { RECOVERY_CODES_EXPIRE_AT } from "../lib/signin-codes";
import type { Db } from "./client";
import { secondFactors, userTokens } from "./schema";

export const CHALLENGE_TTL_MS = 5 * 60_000;

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
 * set of recovery codes replaces any old one: one batch, every statement conditional on that
 * secret still pending, so a racing confirmation (another tab) changes nothing, not even the
 * codes the first one showed. False when nothing was pending.
 */
export async function enableTotp(db: Db, userId: string, pending: string, step: number, recoveryHashes: string[], now: number) {
	// ?1 user, ?2 the pending secret, ?3 never (RECOVERY_CODES_EXPIRE_AT), ?4 now, ?5 the codes' hashes (JSON), ?6 the step.
	const stillPending = "EXISTS (SELECT 1 FROM second_factors WHERE user_id = ?1 AND pending_secret = ?2)";
	const d1 = db.$client;
	const params = [userId, pending, RECOVERY_CODES_EXPIRE_AT, now, JSON.stringify(recoveryHashes), step];
	const [, , enabled] = await d1.batch([
		d1.prepare(`DELETE FROM user_tokens WHERE user_id = ?1 AND purpose = 'recovery-code' AND ${stillPending}`).bind(...params.slice(0, 2)),
		d1
			.prepare(
				`INSERT INTO user_tokens (id, user_id, purpose, expires_at, created_at) SELECT value, ?1, 'recovery-code', ?3, ?4 FROM json_each(?5) WHERE ${stillPending}`,
			)
			.bind(...params.slice(0, 5)),
		d1
			.prepare(
				"UPDATE second_factors SET totp_secret = ?2, pending_secret = NULL, enabled_at = ?4, last_step = ?6, updated_at = ?4 WHERE user_id = ?1 AND pending_secret = ?2 RETURNING user_id",
			)
			.bind(...params),
	]);
	return (enabled?.results.length ?? 0) > 0;
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
