// POST /api/session signs in, DELETE signs out, GET says who is signed in.
// Login never depends on the customer's own mail server: it is our own password account.
import { Hono } from "hono";
import { appendEvent, event } from "../db/events";
import { bump, clear, readCounts } from "../db/rate-limits";
import { insertSession, revokeSession } from "../db/sessions";
import { findUserByEmail } from "../db/users";
import { randomToken, sha256Hex } from "../lib/bytes";
import { burnPasswordCheck, paramsFor, verifyPassword } from "../lib/password";
import { parseAddress } from "../mail/address";
import type { AppEnv } from "./context";
import { clearSessionCookie, readSessionToken, requireSession, SESSION_ABSOLUTE_MS, writeSessionCookie } from "./middleware/session";
import { problem } from "./problem";
import type { SessionView, SignedIn } from "./types";

// Throttling: failures per account slow a guesser down on one address; failures per IP
// stop one client spraying many addresses. Both keys exist for unknown addresses too, so
// a 429 says nothing about which accounts exist.
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_ACCOUNT = 10;
const MAX_FAILURES_PER_IP = 50;
const MAX_PASSWORD = 1024;

const BAD_CREDENTIALS = () => problem(401, "Invalid credentials", "The email address or password is wrong.");

export const sessionRoutes = new Hono<AppEnv>()
	.post("/", async (c) => {
		const body = await c.req.json().catch(() => null);
		const email = typeof body?.email === "string" ? body.email : "";
		const password = typeof body?.password === "string" ? body.password : "";
		if (!email || !password || password.length > MAX_PASSWORD) {
			throw problem(400, "Invalid request", 'Send {"email": "…", "password": "…"}.');
		}
		const db = c.var.db;
		const now = c.var.clock.now();
		const ip = c.req.header("CF-Connecting-IP") ?? null;
		const address = parseAddress(email)?.canonical ?? email.trim().toLowerCase();
		const accountKey = `login-account:${address}`;
		const ipKey = `login-ip:${ip ?? "unknown"}`;
		const keys = [accountKey, ipKey] as const;
		const counts = await readCounts(db, [...keys], now - WINDOW_MS);
		if ((counts.get(accountKey) ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (counts.get(ipKey) ?? 0) >= MAX_FAILURES_PER_IP) {
			throw problem(429, "Too many attempts", "Too many failed sign-ins. Wait 15 minutes and try again.", {
				"Retry-After": String(WINDOW_MS / 1000),
			});
		}

		const user = await findUserByEmail(db, address);
		const hash = user && !user.disabledAt ? user.passwordHash : null;
		const ok = hash ? await verifyPassword(password, hash) : await burnPasswordCheck(password, paramsFor(c.env));
		if (!user || !ok) {
			await bump(db, keys, now, now - WINDOW_MS);
			await appendEvent(
				db,
				event(now, {
					customerId: user?.customerId ?? null,
					actorUserId: user?.id ?? null,
					kind: "auth.login_failed",
					detail: { email: address },
					ip,
				}),
			);
			throw BAD_CREDENTIALS();
		}

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
		await appendEvent(db, event(now, { customerId: user.customerId, actorUserId: user.id, kind: "auth.login", ip }));
		writeSessionCookie(c, token);
		return c.json<SignedIn>({
			user: { id: user.id, email: user.email, displayName: user.displayName, role: user.role, customerId: user.customerId },
		});
	})
	.get("/", requireSession(), (c) => {
		const p = c.var.principal;
		const viewing = p.viewing
			? { userId: p.viewing.userId, email: p.viewing.email, reason: p.viewing.reason, canAct: p.viewing.canAct }
			: null;
		return c.json<SessionView>({
			user: { id: p.userId, email: p.email, displayName: p.displayName, role: p.role, customerId: p.customerId },
			viewing,
		});
	})
	.delete("/", async (c) => {
		const token = readSessionToken(c);
		if (token) await revokeSession(c.var.db, await sha256Hex(token), c.var.clock.now());
		clearSessionCookie(c);
		return c.body(null, 204);
	});
