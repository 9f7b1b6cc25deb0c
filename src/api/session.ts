// POST /api/session signs in (a password, or a one-time code mailed to the alternate address:
// POST /api/session/code asks for one), DELETE signs out, GET says who is signed in. Signing in
// never depends on the customer's own mail server or identity provider.
import { Hono } from "hono";
import { bump, readCounts } from "../db/rate-limits";
import { revokeSession } from "../db/sessions";
import { companyAllowsCodes, SIGNIN_CODE_TTL_MS, spendSigninCode } from "../db/user-tokens";
import { findUserByEmail, type UserRow } from "../db/users";
import { sha256Hex } from "../lib/bytes";
import { burnPasswordCheck, paramsFor, verifyPassword } from "../lib/password";
import { normalizeCode, signinCodeHash } from "../lib/signin-codes";
import { parseAddress } from "../mail/address";
import type { SigninCodeJob } from "../queue/messages";
import type { AppEnv } from "./context";
import { clearSessionCookie, readSessionToken, requireSession } from "./middleware/session";
import { problem } from "./problem";
import { finishSignIn, LOGIN_WINDOW_MS, loginFailed, loginThrottle } from "./sign-in";
import type { CodeRequested, SessionView } from "./types";

const MAX_PASSWORD = 1024;

const BAD_CREDENTIALS = () => problem(401, "Invalid credentials", "The email address or password is wrong.");

const BAD_CODE = () => problem(401, "Invalid code", "The code is wrong, expired or already used. Ask for a new one.");

/** Code requests per address and per client in the window: enough for typos, too few to flood a mailbox. */
const CODE_REQUESTS_PER_ADDRESS = 5;
const CODE_REQUESTS_PER_IP = 30;

/** The code is the account's open one (and spent by this call), for a company that allows codes. */
async function checkCode(c: { env: Env; var: AppEnv["Variables"] }, user: UserRow | undefined, code: string, now: number) {
	if (!user || user.disabledAt || !user.customerId || !c.env.CREDENTIALS_KEY) return false;
	if (!(await companyAllowsCodes(c.var.db, user.customerId))) return false;
	return spendSigninCode(c.var.db, user.id, await signinCodeHash(c.env.CREDENTIALS_KEY, user.id, code), now);
}

export const sessionRoutes = new Hono<AppEnv>()
	.post("/", async (c) => {
		const body = await c.req.json().catch(() => null);
		const email = typeof body?.email === "string" ? body.email : "";
		const password = typeof body?.password === "string" ? body.password : "";
		// A one-time code mailed to the alternate address (POST /api/session/code) instead of the password.
		const code = !password && typeof body?.code === "string" ? normalizeCode(body.code) : null;
		if (!email || (!password && code === null) || password.length > MAX_PASSWORD) {
			throw problem(
				400,
				"Invalid request",
				'Send {"email": "…", "password": "…"}, or {"email": "…", "code": "123456"} with a mailed code.',
			);
		}
		const db = c.var.db;
		const now = c.var.clock.now();
		const address = parseAddress(email)?.canonical ?? email.trim().toLowerCase();
		const throttle = await loginThrottle(c, address);
		const user = await findUserByEmail(db, address);
		let ok: boolean;
		if (code !== null) ok = await checkCode(c, user, code, now);
		else {
			const hash = user && !user.disabledAt ? user.passwordHash : null;
			ok = hash ? await verifyPassword(password, hash) : await burnPasswordCheck(password, paramsFor(c.env));
		}
		const via = code !== null ? "code" : "password";
		if (!user || !ok) {
			await loginFailed(c, user, address, throttle, via);
			throw code !== null ? BAD_CODE() : BAD_CREDENTIALS();
		}

		return finishSignIn(c, user, via, throttle.accountKey);
	})
	.post("/code", async (c) => {
		// Whoever the address is, the same answer after the same work: the lookup, the code and
		// the mail happen in the queue (src/queue/signin-code.ts), so this says nothing of who exists.
		const body = await c.req.json().catch(() => null);
		const email = typeof body?.email === "string" && body.email.length <= 320 ? body.email : "";
		const address = parseAddress(email)?.canonical;
		if (!address) throw problem(400, "Invalid request", 'Send {"email": "…"} with the address you sign in with.');
		const db = c.var.db;
		const now = c.var.clock.now();
		const ip = c.req.header("CF-Connecting-IP") ?? null;
		const keys = [`code-address:${address}`, `code-ip:${ip ?? "unknown"}`] as const;
		const counts = await readCounts(db, [...keys], now - LOGIN_WINDOW_MS);
		if ((counts.get(keys[0]) ?? 0) >= CODE_REQUESTS_PER_ADDRESS || (counts.get(keys[1]) ?? 0) >= CODE_REQUESTS_PER_IP) {
			throw problem(429, "Too many codes asked for", "Too many sign-in codes were asked for. Wait 15 minutes and try again.", {
				"Retry-After": String(LOGIN_WINDOW_MS / 1000),
			});
		}
		await bump(db, keys, now, now - LOGIN_WINDOW_MS);
		const job: SigninCodeJob = { kind: "signin-code", address, ip };
		await c.env.OUTBOUND_QUEUE.send(job);
		return c.json<CodeRequested>({ expiresInSeconds: SIGNIN_CODE_TTL_MS / 1000 }, 202);
	})
	.get("/", requireSession(), (c) => {
		const p = c.var.principal;
		const viewing = p.viewing
			? { userId: p.viewing.userId, email: p.viewing.email, reason: p.viewing.reason, canAct: p.viewing.canAct }
			: null;
		return c.json<SessionView>({
			user: { id: p.userId, email: p.email, displayName: p.displayName, role: p.role, customerId: p.customerId },
			viewing,
			mustEnrol: p.mustEnrol,
		});
	})
	.delete("/", async (c) => {
		const token = readSessionToken(c);
		if (token) await revokeSession(c.var.db, await sha256Hex(token), c.var.clock.now());
		clearSessionCookie(c);
		return c.body(null, 204);
	});
