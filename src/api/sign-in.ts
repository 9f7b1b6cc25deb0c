// The end of every way in (password, mailed code): a session, or, for an account with a second
// factor, a challenge for it first (POST /api/session/second-factor, src/api/second-factor.ts).
import type { Context } from "hono";
import { appendEvent, event } from "../db/events";
import { bump, clear, readCounts } from "../db/rate-limits";
import { CHALLENGE_TTL_MS, findSecondFactor, issueChallenge } from "../db/second-factors";
import { insertSession } from "../db/sessions";
import type { UserRow } from "../db/users";
import { randomToken, sha256Hex } from "../lib/bytes";
import type { AppEnv } from "./context";
import { SESSION_ABSOLUTE_MS, writeChallengeCookie, writeSessionCookie } from "./middleware/session";
import { problem } from "./problem";
import type { SecondFactorRequired, SignedIn } from "./types";

export type SignInVia = "password" | "code" | "totp" | "recovery code";

// Throttling: failures per account slow a guesser down on one address; failures per IP
// stop one client spraying many addresses. Both keys exist for unknown addresses too, so
// a 429 says nothing about which accounts exist. Every factor's failures count the same.
export const LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 10;
const MAX_FAILURES_PER_IP = 50;

export interface Throttle {
	accountKey: string;
	keys: readonly [string, string];
}

/** Refuses (429) an address or a client past its failures in the window. */
export async function loginThrottle(c: Context<AppEnv>, address: string): Promise<Throttle> {
	const ip = c.req.header("CF-Connecting-IP") ?? null;
	const accountKey = `login-account:${address}`;
	const ipKey = `login-ip:${ip ?? "unknown"}`;
	const counts = await readCounts(c.var.db, [accountKey, ipKey], c.var.clock.now() - LOGIN_WINDOW_MS);
	if ((counts.get(accountKey) ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (counts.get(ipKey) ?? 0) >= MAX_FAILURES_PER_IP) {
		throw problem(429, "Too many attempts", "Too many failed sign-ins. Wait 15 minutes and try again.", {
			"Retry-After": String(LOGIN_WINDOW_MS / 1000),
		});
	}
	return { accountKey, keys: [accountKey, ipKey] };
}

/** A failed factor: counted against the address and the client, and in the company's activity log. */
export async function loginFailed(c: Context<AppEnv>, user: UserRow | undefined, address: string, throttle: Throttle, via: SignInVia) {
	const now = c.var.clock.now();
	await bump(c.var.db, throttle.keys, now, now - LOGIN_WINDOW_MS);
	await appendEvent(
		c.var.db,
		event(now, {
			customerId: user?.customerId ?? null,
			actorUserId: user?.id ?? null,
			kind: "auth.login_failed",
			detail: { email: address, via },
			ip: c.req.header("CF-Connecting-IP") ?? null,
		}),
	);
}

/** The first factor was right: a session, or the challenge for the second. */
export async function finishSignIn(c: Context<AppEnv>, user: UserRow, via: "password" | "code", accountKey: string) {
	const factor = await findSecondFactor(c.var.db, user.id);
	if (!factor?.enabledAt) return startSession(c, user, via, accountKey);
	const token = randomToken();
	await issueChallenge(c.var.db, user.id, await sha256Hex(token), c.var.clock.now());
	writeChallengeCookie(c, token, CHALLENGE_TTL_MS);
	return c.json<SecondFactorRequired>({ secondFactor: "totp" });
}

/** Signed in: the session cookie, the account's failure count cleared, and the activity log told how. */
export async function startSession(c: Context<AppEnv>, user: UserRow, via: SignInVia, accountKey: string, detail: object = {}) {
	const db = c.var.db;
	const now = c.var.clock.now();
	const ip = c.req.header("CF-Connecting-IP") ?? null;
	const token = randomToken();
	await insertSession(db, {
		id: await sha256Hex(token),
		userId: user.id,
		now,
		expiresAt: now + SESSION_ABSOLUTE_MS,
		ip,
		userAgent: c.req.header("User-Agent")?.slice(0, 256) ?? null,
	});
	await clear(db, accountKey);
	await appendEvent(
		db,
		event(now, { customerId: user.customerId, actorUserId: user.id, kind: "auth.login", detail: { via, ...detail }, ip }),
	);
	writeSessionCookie(c, token);
	return c.json<SignedIn>({
		user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, customerId: user.customerId },
	});
}
