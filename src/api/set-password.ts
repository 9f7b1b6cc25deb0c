// POST /api/session/password: the welcome mail's link (src/queue/invite.ts) sets the account's
// password. The token is the credential, so anyone may call it; a wrong, expired or spent
// token, or a disabled account, all get the same answer, and failures are throttled per client
// like sign-ins. Setting a password spends the link and signs out every session of the account.
import { Hono } from "hono";
import { appendEvent, event } from "../db/events";
import { bump, readCounts } from "../db/rate-limits";
import { findUsableToken, setPasswordWithToken } from "../db/user-tokens";
import { sha256Hex } from "../lib/bytes";
import { hashPassword, paramsFor } from "../lib/password";
import type { AppEnv } from "./context";
import { problem } from "./problem";
import type { PasswordSet } from "./user-types";

const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_IP = 50;
export const MIN_PASSWORD = 12;
const MAX_PASSWORD = 1024;
/** Our tokens are 43 characters of base64url; anything far longer is not one. */
const MAX_TOKEN = 200;

const LINK_DEAD = () =>
	problem(
		410,
		"Link no longer valid",
		"This link is wrong, expired (links work for 7 days) or already used. Ask your administrator to send the welcome email again.",
	);

export const setPasswordRoutes = new Hono<AppEnv>().post("/password", async (c) => {
	const body = (await c.req.json().catch(() => null)) as { token?: unknown; password?: unknown } | null;
	const token = typeof body?.token === "string" ? body.token : "";
	const password = typeof body?.password === "string" ? body.password : null;
	if (!token || token.length > MAX_TOKEN || password === null)
		throw problem(400, "Invalid request", 'Send {"token": "…", "password": "…"} with the token from the emailed link.');
	if ([...password].length < MIN_PASSWORD || password.length > MAX_PASSWORD)
		throw problem(422, "Password too short", `password must be at least ${MIN_PASSWORD} characters (and at most ${MAX_PASSWORD}).`);

	const db = c.var.db;
	const now = c.var.clock.now();
	const ip = c.req.header("CF-Connecting-IP") ?? null;
	const ipKey = `set-password-ip:${ip ?? "unknown"}`;
	if (((await readCounts(db, [ipKey], now - WINDOW_MS)).get(ipKey) ?? 0) >= MAX_FAILURES_PER_IP)
		throw problem(429, "Too many attempts", "Too many failed attempts. Wait 15 minutes and try again.", {
			"Retry-After": String(WINDOW_MS / 1000),
		});

	const hash = await sha256Hex(token);
	const found = await findUsableToken(db, hash, now);
	const done = found && (await setPasswordWithToken(db, hash, found.userId, await hashPassword(password, paramsFor(c.env)), now));
	if (!found || !done) {
		await bump(db, [ipKey], now, now - WINDOW_MS);
		throw LINK_DEAD();
	}
	await appendEvent(
		db,
		event(now, {
			customerId: found.customerId,
			actorUserId: found.userId,
			kind: "auth.password_set",
			detail: { email: found.email, via: "emailed link" },
			ip,
		}),
	);
	return c.json<PasswordSet>({ email: found.email });
});
