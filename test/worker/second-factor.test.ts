// A second factor (issue #12): an authenticator app's code (TOTP, computed here with `otpauth`
// as an app would) after the password, for an account that set one up; ten recovery codes,
// each good once. Each code signs in once; the step between password and code lasts 5 minutes
// and belongs to the browser that began it; turning it off takes a code. The secret is sealed.
import { env } from "cloudflare:test";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import type { RecoveryCodes, SecondFactorStatus, TotpSetup } from "../../src/api/types";
import type { AdminUser } from "../../src/api/user-types";
import { openDb } from "../../src/db/client";
import { issueSigninCode } from "../../src/db/user-tokens";
import { signinCodeHash } from "../../src/lib/signin-codes";
import { api, createTenant, PASSWORD, signInAdmin, type Tenant } from "./helpers";

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.30" },
	body: JSON.stringify(body),
});

const codeAt = (secret: string, at = Date.now()) =>
	new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: at });

const cookieOf = (res: Response, name: string) =>
	(res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? "").split(";")[0] as string;

/** Signs in with the password alone: a session cookie when no second factor is set up. */
async function passwordStep(email: string) {
	const res = await api("/session", "", json("POST", { email, password: PASSWORD }));
	expect(res.status).toBe(200);
	return {
		body: (await res.json()) as { secondFactor?: string },
		session: cookieOf(res, "ei_session"),
		challenge: cookieOf(res, "ei_challenge"),
	};
}

/** alice sets up an authenticator; returns its secret and the recovery codes. */
async function enrol(t: Tenant) {
	const { session } = await passwordStep(t.alice.email);
	const setup = (await (await api("/account/totp", session, json("POST", {}))).json()) as TotpSetup;
	expect(setup.uri).toMatch(/^otpauth:\/\/totp\/Emergency%20Inbox:.+\?.*secret=/);
	const wrong = String((Number(codeAt(setup.secret)) + 1) % 1_000_000).padStart(6, "0");
	expect((await api("/account/totp/confirm", session, json("POST", { code: wrong }))).status).toBe(422);
	const confirmed = await api("/account/totp/confirm", session, json("POST", { code: codeAt(setup.secret) }));
	expect(confirmed.status).toBe(200);
	const { recoveryCodes } = (await confirmed.json()) as RecoveryCodes;
	return { secret: setup.secret, recoveryCodes, session };
}

describe("an authenticator app", () => {
	it("is set up with a code from it, then asked for after the password, and each code signs in once", async () => {
		const t = await createTenant();
		const { secret, recoveryCodes, session } = await enrol(t);
		expect(recoveryCodes).toHaveLength(10);
		expect(new Set(recoveryCodes).size).toBe(10);
		const status = (await (await api("/account/second-factor", session)).json()) as SecondFactorStatus;
		expect(status).toMatchObject({ totp: { enabled: true }, recoveryCodesLeft: 10 });
		// Sealed at rest: the database does not hold the secret an app would need.
		const row = await env.DB.prepare("SELECT totp_secret FROM second_factors WHERE user_id = ?")
			.bind(t.alice.id)
			.first<{ totp_secret: string }>();
		expect(row?.totp_secret).not.toContain(secret);

		// The password alone is no session now: only the step's own cookie, good for nothing else.
		const step = await passwordStep(t.alice.email);
		expect(step.body).toEqual({ secondFactor: "totp" });
		expect(step.session).toBe("");
		expect((await api("/session", step.challenge)).status).toBe(401);
		expect((await api("/mailbox/messages", step.challenge)).status).toBe(401);

		// The confirming code was already used: it does not sign in again.
		expect((await api("/session/second-factor", step.challenge, json("POST", { code: codeAt(secret) }))).status).toBe(401);
		const next = codeAt(secret, Date.now() + 30_000);
		const res = await api("/session/second-factor", step.challenge, json("POST", { code: next }));
		expect(res.status).toBe(200);
		const signedIn = cookieOf(res, "ei_session");
		expect(((await (await api("/session", signedIn)).json()) as { user: { email: string } }).user.email).toBe(t.alice.email);
		// The step is over; and the same code in a new step is refused (a replay).
		expect((await api("/session/second-factor", step.challenge, json("POST", { code: next }))).status).toBe(410);
		const again = await passwordStep(t.alice.email);
		expect((await api("/session/second-factor", again.challenge, json("POST", { code: next }))).status).toBe(401);
		const logins = await env.DB.prepare("SELECT detail FROM events WHERE actor_user_id = ? AND kind = 'auth.login'").bind(t.alice.id).all();
		expect(logins.results.map((r) => JSON.parse(r.detail as string).via)).toContain("totp");
	});

	it("takes a recovery code once, and counts what is left", async () => {
		const t = await createTenant();
		const { recoveryCodes } = await enrol(t);
		const [first] = recoveryCodes;
		const step = await passwordStep(t.alice.email);
		// Typed in capitals, without the dash.
		const res = await api("/session/second-factor", step.challenge, json("POST", { recoveryCode: first?.toUpperCase().replace("-", "") }));
		expect(res.status).toBe(200);
		const status = (await (await api("/account/second-factor", cookieOf(res, "ei_session"))).json()) as SecondFactorStatus;
		expect(status.recoveryCodesLeft).toBe(9);
		const later = await passwordStep(t.alice.email);
		expect((await api("/session/second-factor", later.challenge, json("POST", { recoveryCode: first }))).status).toBe(401);
	});

	it("refuses an expired step, a step without its cookie, another account's codes and a disabled account", async () => {
		const t = await createTenant();
		const { secret } = await enrol(t);
		expect((await api("/session/second-factor", "", json("POST", { code: "123456" }))).status).toBe(410);
		const step = await passwordStep(t.alice.email);
		await env.DB.prepare("UPDATE user_tokens SET expires_at = ? WHERE user_id = ? AND purpose = 'mfa-challenge'")
			.bind(Date.now() - 1, t.alice.id)
			.run();
		expect((await api("/session/second-factor", step.challenge, json("POST", { code: codeAt(secret, Date.now() + 30_000) }))).status).toBe(
			410,
		);
		// bob has no second factor: alice's code is nothing to his sign-in, which needs none.
		expect((await passwordStep(t.bob.email)).session).not.toBe("");
		const fresh = await passwordStep(t.alice.email);
		await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE id = ?").bind(Date.now(), t.alice.id).run();
		expect((await api("/session/second-factor", fresh.challenge, json("POST", { code: codeAt(secret, Date.now() + 30_000) }))).status).toBe(
			410,
		);
	});

	it("is turned off only with a code from it, and then the password is enough again", async () => {
		const t = await createTenant();
		const { secret, session } = await enrol(t);
		expect((await api("/account/totp", session, json("DELETE", { code: "000000" }))).status).toBe(422);
		expect((await api("/account/totp", session, json("DELETE", { code: codeAt(secret, Date.now() + 30_000) }))).status).toBe(204);
		expect((await passwordStep(t.alice.email)).session).not.toBe("");
		const left = await env.DB.prepare("SELECT count(*) AS n FROM user_tokens WHERE user_id = ? AND purpose = 'recovery-code'")
			.bind(t.alice.id)
			.first();
		expect(left).toEqual({ n: 0 });
	});

	it("is confirmed once when two tabs confirm at the same time, and the codes shown are the ones that work", async () => {
		const t = await createTenant();
		const { session } = await passwordStep(t.alice.email);
		const setup = (await (await api("/account/totp", session, json("POST", {}))).json()) as TotpSetup;
		const code = codeAt(setup.secret);
		const answers = await Promise.all([1, 2].map(() => api("/account/totp/confirm", session, json("POST", { code }))));
		expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
		const shown = (await (answers.find((r) => r.status === 200) as Response).json()) as RecoveryCodes;
		const step = await passwordStep(t.alice.email);
		const res = await api("/session/second-factor", step.challenge, json("POST", { recoveryCode: shown.recoveryCodes[9] }));
		expect(res.status).toBe(200);
	});

	it("is reset by the company's administrator when the phone and the codes are lost, and by no one else", async () => {
		const t = await createTenant();
		await enrol(t);
		const admin = await signInAdmin(t);
		const other = await signInAdmin(await createTenant());
		const path = `/admin/users/${t.alice.id}/second-factor`;
		expect((await api(`/admin/users/${t.alice.id}`, admin)).status).toBe(200);
		expect(((await (await api(`/admin/users/${t.alice.id}`, admin)).json()) as AdminUser).secondFactor).toBe(true);
		expect((await api(path, other, json("DELETE", {}))).status).toBe(404);
		expect((await passwordStep(t.alice.email)).session).toBe("");
		const reset = await api(path, admin, json("DELETE", {}));
		expect(reset.status).toBe(200);
		expect(((await reset.json()) as AdminUser).secondFactor).toBe(false);
		expect((await passwordStep(t.alice.email)).session).not.toBe("");
		const logged = await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = 'user.second_factor_reset'")
			.bind(t.customerId)
			.all();
		expect(logged.results.map((r) => JSON.parse(r.detail as string))).toEqual([{ email: t.alice.email }]);
	});

	it("is asked for after a mailed sign-in code too", async () => {
		const t = await createTenant();
		await enrol(t);
		await env.DB.prepare("UPDATE users SET alternate_email = 'alice@home.example' WHERE id = ?").bind(t.alice.id).run();
		// A code issued as the queue would, known to the test.
		const hash = await signinCodeHash((env as Env).CREDENTIALS_KEY as string, t.alice.id, "424242");
		await issueSigninCode(openDb(env.DB), t.alice.id, hash, Date.now());
		const res = await api("/session", "", json("POST", { email: t.alice.email, code: "424242" }));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ secondFactor: "totp" });
		expect(cookieOf(res, "ei_session")).toBe("");
	});
});

describe("a role that needs a second factor", () => {
	/** An account signed in with its password only, as its owner would on first sign-in. */
	async function firstSignIn(email: string) {
		const res = await api("/session", "", json("POST", { email, password: PASSWORD }));
		expect(res.status).toBe(200);
		return cookieOf(res, "ei_session");
	}

	async function partnerAccount(): Promise<string> {
		const partnerId = crypto.randomUUID();
		const email = `p-${partnerId.slice(0, 8)}@partner.example`;
		await env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, 'Partner')").bind(partnerId).run();
		await env.DB.prepare(
			"INSERT INTO users (id, partner_id, email, role, password_hash) SELECT ?, ?, ?, 'partner_admin', password_hash FROM users WHERE password_hash IS NOT NULL LIMIT 1",
		)
			.bind(crypto.randomUUID(), partnerId, email)
			.run();
		return email;
	}

	it("is made to set one up before anything else: a partner without one", async () => {
		await createTenant();
		const email = await partnerAccount();
		const session = await firstSignIn(email);
		expect(((await (await api("/session", session)).json()) as { mustEnrol: boolean }).mustEnrol).toBe(true);
		const refused = await api("/partner/customers", session);
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { title: string }).title).toBe("Second factor required");
		// The Security routes work, and once it is set up, the rest does too, in the same session.
		const setup = (await (await api("/account/totp", session, json("POST", {}))).json()) as TotpSetup;
		expect((await api("/account/totp/confirm", session, json("POST", { code: codeAt(setup.secret) }))).status).toBe(200);
		expect((await api("/partner/customers", session)).status).toBe(200);
		expect(((await (await api("/session", session)).json()) as { mustEnrol: boolean }).mustEnrol).toBe(false);
		// Turning it off takes a code, and then the partner is made to set one up again.
		expect((await api("/account/totp", session, json("DELETE", { code: codeAt(setup.secret, Date.now() + 30_000) }))).status).toBe(204);
		expect((await api("/partner/customers", session)).status).toBe(403);
	});

	it("holds for a company's administrators unless the company turns it off, and never for its users", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const fresh = await createTenant();
		const email = `admin2@${fresh.domain}`;
		await env.DB.prepare(
			"INSERT INTO users (id, customer_id, email, role, password_hash) SELECT ?, ?, ?, 'customer_admin', password_hash FROM users WHERE id = ?",
		)
			.bind(crypto.randomUUID(), fresh.customerId, email, fresh.alice.id)
			.run();
		expect((await api("/admin/domains", await firstSignIn(email))).status).toBe(403);
		await env.DB.prepare("UPDATE customers SET require_admin_second_factor = 0 WHERE id = ?").bind(fresh.customerId).run();
		expect((await api("/admin/domains", await firstSignIn(email))).status).toBe(200);
		// Users: optional.
		expect((await api("/mailbox/messages", await firstSignIn(t.alice.email))).status).toBe(200);
		// The setting is the company admin's to change, through the API.
		const patched = await api("/admin/company", admin, json("PATCH", { requireAdminSecondFactor: false }));
		expect(((await patched.json()) as { requireAdminSecondFactor: boolean }).requireAdminSecondFactor).toBe(false);
	});
});
