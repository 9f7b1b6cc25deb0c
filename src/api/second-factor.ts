// Second factor (issue #12): an authenticator app (TOTP) with ten recovery codes.
//   POST /api/session/second-factor {code} | {recoveryCode}: the step after the password (or a
//     mailed code) for an account that has one; the challenge cookie says whose sign-in it is.
//   GET /api/account/second-factor, POST /api/account/totp (a new secret to scan),
//   POST /api/account/totp/confirm {code} (on, and the recovery codes, shown once),
//   DELETE /api/account/totp {code} (off): the signed-in account's own.
// Each code signs in once (the last accepted step is kept); failures count with the password's.
import { Hono } from "hono";
import { appendEvent, event } from "../db/events";
import {
	acceptStep,
	closeChallenge,
	disableTotp,
	enableTotp,
	findSecondFactor,
	openChallenge,
	recoveryCodesLeft,
	setPendingSecret,
	spendRecoveryCode,
} from "../db/second-factors";
import { findUserById } from "../db/users";
import { sha256Hex } from "../lib/bytes";
import { open, seal } from "../lib/secret-box";
import { accountCodeHash, newRecoveryCodes, normalizeRecoveryCode } from "../lib/signin-codes";
import { matchTotp, newTotpSecret, totpUri } from "../lib/totp";
import type { AppEnv } from "./context";
import { clearChallengeCookie, readChallengeToken, requireSession } from "./middleware/session";
import { problem } from "./problem";
import { loginFailed, loginThrottle, startSession } from "./sign-in";
import type { RecoveryCodes, SecondFactorStatus, TotpSetup } from "./types";

const BAD_CODE = () => problem(401, "Invalid code", "The code is wrong or was used already. Try the next one your app shows.");
const EXPIRED = () => problem(410, "Sign-in expired", "The step after the password lasts 5 minutes. Sign in again.");
const NOTHING_PENDING = () => problem(409, "Nothing to confirm", "Start setting up the authenticator app first.");
const NO_MATCH = () => problem(422, "Code does not match", "Enter the 6-digit code your authenticator app shows now.");

function keyOf(env: Env): string {
	if (!env.CREDENTIALS_KEY)
		throw problem(503, "Second factors unavailable", "The CREDENTIALS_KEY secret is not configured on this deployment.");
	return env.CREDENTIALS_KEY;
}

const context = (userId: string) => `totp:${userId}`;

/** The body's {code}, without the spaces people type; "" when absent. */
async function typedCode(req: { json(): Promise<unknown> }): Promise<string> {
	const body = (await req.json().catch(() => null)) as { code?: unknown } | null;
	return typeof body?.code === "string" ? body.code.replace(/\s+/g, "") : "";
}

/** The step `code` matches for the user's working secret, if it has not been used. */
async function totpStep(env: Env, sealed: string | null | undefined, userId: string, code: string, now: number) {
	if (!sealed) return null;
	return matchTotp(await open(keyOf(env), sealed, context(userId)), code, now);
}

export const secondFactorSessionRoutes = new Hono<AppEnv>().post("/second-factor", async (c) => {
	const body = (await c.req.json().catch(() => null)) as { code?: unknown; recoveryCode?: unknown } | null;
	const code = typeof body?.code === "string" ? body.code.replace(/\s+/g, "") : null;
	const recovery = typeof body?.recoveryCode === "string" ? normalizeRecoveryCode(body.recoveryCode) : null;
	if (code === null && recovery === null)
		throw problem(400, "Invalid request", 'Send {"code": "123456"} from your authenticator app, or {"recoveryCode": "xxxxx-xxxxx"}.');
	const token = readChallengeToken(c);
	if (!token) throw EXPIRED();
	const db = c.var.db;
	const now = c.var.clock.now();
	const challenge = await sha256Hex(token);
	const userId = await openChallenge(db, challenge, now);
	const user = userId ? await findUserById(db, userId) : undefined;
	if (!user || user.disabledAt) throw EXPIRED();
	const throttle = await loginThrottle(c, user.email);

	const via = recovery !== null ? "recovery code" : "totp";
	let ok = false;
	if (recovery !== null)
		ok = await spendRecoveryCode(db, user.id, await accountCodeHash(keyOf(c.env), "recovery codes", user.id, recovery), now);
	else {
		const factor = await findSecondFactor(db, user.id);
		const step = await totpStep(c.env, factor?.totpSecret, user.id, code as string, now);
		ok = step !== null && (await acceptStep(db, user.id, step, now));
	}
	if (!ok) {
		await loginFailed(c, user, user.email, throttle, via);
		throw BAD_CODE();
	}
	// One sign-in per challenge, however many requests race with it.
	if (!(await closeChallenge(db, challenge, now))) throw EXPIRED();
	clearChallengeCookie(c);
	// A recovery code used says how many are left, in the sign-in's own line of the activity log.
	const left = recovery !== null ? { recoveryCodesLeft: await recoveryCodesLeft(db, user.id) } : {};
	return startSession(c, user, via, throttle.accountKey, left);
});

export const accountRoutes = new Hono<AppEnv>()
	.use(requireSession())
	.get("/second-factor", async (c) => {
		const userId = c.var.principal.userId;
		const factor = await findSecondFactor(c.var.db, userId);
		return c.json<SecondFactorStatus>({
			totp: { enabled: Boolean(factor?.enabledAt), enabledAt: factor?.enabledAt ? new Date(factor.enabledAt).toISOString() : null },
			recoveryCodesLeft: factor?.enabledAt ? await recoveryCodesLeft(c.var.db, userId) : 0,
		});
	})
	.post("/totp", async (c) => {
		const p = c.var.principal;
		const secret = newTotpSecret();
		await setPendingSecret(c.var.db, p.userId, await seal(keyOf(c.env), secret, context(p.userId)), c.var.clock.now());
		return c.json<TotpSetup>({ secret, uri: totpUri(secret, p.email) });
	})
	.post("/totp/confirm", async (c) => {
		const p = c.var.principal;
		const code = await typedCode(c.req);
		const db = c.var.db;
		const now = c.var.clock.now();
		const factor = await findSecondFactor(db, p.userId);
		if (!factor?.pendingSecret) throw NOTHING_PENDING();
		const step = await totpStep(c.env, factor.pendingSecret, p.userId, code, now);
		if (step === null) throw NO_MATCH();
		const codes = newRecoveryCodes();
		const hashes = await Promise.all(codes.map((r) => accountCodeHash(keyOf(c.env), "recovery codes", p.userId, r)));
		if (!(await enableTotp(db, p.userId, factor.pendingSecret, step, hashes, now))) throw NOTHING_PENDING();
		await appendEvent(db, event(now, { customerId: p.customerId, actorUserId: p.userId, kind: "auth.totp_enabled", detail: {} }));
		return c.json<RecoveryCodes>({ recoveryCodes: codes });
	})
	.delete("/totp", async (c) => {
		const p = c.var.principal;
		const code = await typedCode(c.req);
		const db = c.var.db;
		const now = c.var.clock.now();
		const factor = await findSecondFactor(db, p.userId);
		if (!factor?.enabledAt) return c.body(null, 204);
		const step = await totpStep(c.env, factor.totpSecret, p.userId, code, now);
		if (step === null || !(await acceptStep(db, p.userId, step, now))) throw NO_MATCH();
		await disableTotp(db, p.userId);
		await appendEvent(db, event(now, { customerId: p.customerId, actorUserId: p.userId, kind: "auth.totp_disabled", detail: {} }));
		return c.body(null, 204);
	});
