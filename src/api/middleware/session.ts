import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { findLiveSession, type NewSession, rotateSession, touchSession } from "../../db/sessions";
import { randomToken, sha256Hex } from "../../lib/bytes";
import type { AppEnv } from "../context";
import { problem } from "../problem";

export const SESSION_ABSOLUTE_MS = 12 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
/** lastSeenAt is refreshed at most this often, so reads do not turn into a write each. */
const TOUCH_EVERY_MS = 5 * 60_000;

// Secure cookies need https; plain-http localhost (npm start) gets a non-Secure cookie,
// everything else the __Host- prefix (Secure, Path=/, no Domain: no subdomain can set it).
function isSecure(c: Context): boolean {
	const url = new URL(c.req.url);
	return url.protocol === "https:" || !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

const BASE_NAME = "ei_session";

export function readSessionToken(c: Context): string | undefined {
	return isSecure(c) ? getCookie(c, BASE_NAME, "host") : getCookie(c, BASE_NAME);
}

export function writeSessionCookie(c: Context, token: string) {
	setCookie(c, BASE_NAME, token, {
		path: "/",
		httpOnly: true,
		sameSite: "Lax",
		secure: isSecure(c),
		maxAge: SESSION_ABSOLUTE_MS / 1000,
		...(isSecure(c) ? { prefix: "host" as const } : {}),
	});
}

export function clearSessionCookie(c: Context) {
	deleteCookie(c, BASE_NAME, { path: "/", secure: isSecure(c), ...(isSecure(c) ? { prefix: "host" as const } : {}) });
}

const CHALLENGE_NAME = "ei_challenge";

/**
 * Between the password (or code) and the second factor: a cookie of its own, HttpOnly, sent
 * only to /api/session, for 5 minutes. It is no session: no other route reads it.
 */
export function writeChallengeCookie(c: Context, token: string, maxAgeMs: number) {
	setCookie(c, CHALLENGE_NAME, token, {
		path: "/api/session",
		httpOnly: true,
		sameSite: "Strict",
		secure: isSecure(c),
		maxAge: maxAgeMs / 1000,
	});
}

export function readChallengeToken(c: Context): string | undefined {
	return getCookie(c, CHALLENGE_NAME);
}

export function clearChallengeCookie(c: Context) {
	deleteCookie(c, CHALLENGE_NAME, { path: "/api/session", secure: isSecure(c) });
}

/** Resolves the session cookie into c.var.principal, or answers 401. */
export function requireSession(): MiddlewareHandler<AppEnv> {
	return async function requireSession(c, next) {
		const token = readSessionToken(c);
		if (!token) throw problem(401, "Authentication required", "Sign in first.");
		const now = c.var.clock.now();
		const id = await sha256Hex(token);
		const principal = await findLiveSession(c.var.db, id, now, now - SESSION_IDLE_MS);
		if (!principal) throw problem(401, "Authentication required", "Your session has ended. Sign in again.");
		// A role that needs a second factor and has none may only set one up (and see or end its session).
		if (principal.mustEnrol && c.req.path !== "/api/session" && !c.req.path.startsWith("/api/account/"))
			throw problem(
				403,
				"Second factor required",
				"Your role signs in with a second factor: set up an authenticator app on the Security page first.",
			);
		if (now - principal.lastSeenAt > TOUCH_EVERY_MS) await touchSession(c.var.db, id, now);
		c.set("principal", principal);
		await next();
	};
}

/**
 * Gives the signed-in account a new session token (revoking the old one) whenever what the
 * session may do changes, such as entering or leaving another user's Emergency Inbox.
 */
export async function replaceSession(c: Context<AppEnv>, viewing: NewSession["viewing"] = null): Promise<void> {
	const p = c.var.principal;
	const now = c.var.clock.now();
	const token = randomToken();
	await rotateSession(c.var.db, p.sessionId, {
		id: await sha256Hex(token),
		userId: p.userId,
		now,
		expiresAt: now + SESSION_ABSOLUTE_MS,
		ip: c.req.header("CF-Connecting-IP") ?? null,
		userAgent: c.req.header("User-Agent")?.slice(0, 256) ?? null,
		viewing,
	});
	writeSessionCookie(c, token);
}
