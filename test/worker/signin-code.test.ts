// Signing in with a one-time code (issue #12): asked for by address, mailed to the account's
// alternate address (the test outbox), good once, for ten minutes, for five tries; the request
// answers the same for an address with no account, an account without an alternate address
// or a company that does not allow codes; requests and wrong codes are throttled.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import { MAX_CODE_ATTEMPTS, SIGNIN_CODE_TTL_MS } from "../../src/db/user-tokens";
import { outbox } from "./downstream";
import { api, createTenant, signInAdmin, type Tenant } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };

const post = (path: string, body: unknown, ip = "192.0.2.10") =>
	api(path, "", { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip }, body: JSON.stringify(body) });

const askCode = (email: string, ip?: string) => post("/session/code", { email }, ip);
const signInWith = (email: string, code: string, ip?: string) => post("/session", { email, code }, ip);

async function withAlternate(t: Tenant): Promise<string> {
	const alternate = `alice-${crypto.randomUUID().slice(0, 8)}@home.example`;
	await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE id = ?").bind(alternate, t.alice.id).run();
	return alternate;
}

/** The codes mailed to `to`, oldest first, once `n` have arrived. */
async function codesAt(to: string, n: number): Promise<string[]> {
	await vi.waitFor(async () => expect(await outbox(to)).toHaveLength(n), wait);
	const mails = await Promise.all((await outbox(to)).map((m) => PostalMime.parse(m.raw)));
	return mails.map((m) => /^\s+(\d{6})\s*$/m.exec(m.text ?? "")?.[1] ?? "");
}

const events = async (customerId: string, kind: string) =>
	(
		await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = ? ORDER BY created_at, id")
			.bind(customerId, kind)
			.all<{ detail: string }>()
	).results.map((r) => JSON.parse(r.detail));

describe("a sign-in code", () => {
	it("reaches the alternate address, signs in once, and the activity log says how", async () => {
		const t = await createTenant();
		const alternate = await withAlternate(t);
		const asked = await askCode(t.alice.email.toUpperCase());
		expect(asked.status).toBe(202);
		expect(await asked.json()).toEqual({ expiresInSeconds: SIGNIN_CODE_TTL_MS / 1000 });
		const [code] = await codesAt(alternate, 1);
		expect(code).toMatch(/^\d{6}$/);
		const [mail] = await outbox(alternate);
		expect((await PostalMime.parse(mail?.raw ?? "")).subject).toBe("Your Emergency Inbox sign-in code");

		// Typed with a space, as people copy it.
		const res = await signInWith(t.alice.email, `${code?.slice(0, 3)} ${code?.slice(3)}`);
		expect(res.status).toBe(200);
		const cookie = (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
		expect(res.headers.get("Set-Cookie")).toMatch(/HttpOnly/);
		expect(((await (await api("/session", cookie)).json()) as { user: { email: string } }).user.email).toBe(t.alice.email);
		// Once.
		expect((await signInWith(t.alice.email, code as string)).status).toBe(401);
		expect(await events(t.customerId, "auth.code_sent")).toEqual([expect.objectContaining({ email: t.alice.email, to: alternate })]);
		expect(await events(t.customerId, "auth.login")).toContainEqual({ via: "code" });
	});

	it("works only while it is the newest, for ten minutes, and for five tries", async () => {
		const t = await createTenant();
		const alternate = await withAlternate(t);
		await askCode(t.alice.email);
		const [first] = await codesAt(alternate, 1);
		await askCode(t.alice.email);
		const [, second] = await codesAt(alternate, 2);
		// A newer code spends the older one.
		expect((await signInWith(t.alice.email, first as string)).status).toBe(401);

		// Expired: the row says so, as ten minutes later it would.
		await env.DB.prepare("UPDATE user_tokens SET expires_at = ? WHERE user_id = ? AND used_at IS NULL")
			.bind(Date.now() - 1, t.alice.id)
			.run();
		const late = await signInWith(t.alice.email, second as string);
		expect(late.status).toBe(401);
		expect(((await late.json()) as { title: string }).title).toBe("Invalid code");

		// Five wrong tries spend the code, even if the sixth is right.
		await askCode(t.alice.email);
		const [, , third] = await codesAt(alternate, 3);
		const wrong = String((Number(third) + 1) % 1_000_000).padStart(6, "0");
		for (let i = 0; i < MAX_CODE_ATTEMPTS; i++) expect((await signInWith(t.alice.email, wrong, `192.0.2.${20 + i}`)).status).toBe(401);
		expect((await signInWith(t.alice.email, third as string, "192.0.2.40")).status).toBe(401);
	});

	it("is for the account it was sent to: another address, or a disabled account, gets nowhere with it", async () => {
		const t = await createTenant();
		const alternate = await withAlternate(t);
		await askCode(t.alice.email);
		const [code] = await codesAt(alternate, 1);
		expect((await signInWith(t.bob.email, code as string)).status).toBe(401);
		await env.DB.prepare("UPDATE users SET disabled_at = ? WHERE id = ?").bind(Date.now(), t.alice.id).run();
		expect((await signInWith(t.alice.email, code as string)).status).toBe(401);
	});
});

describe("asking for a code", () => {
	it("answers the same for an unknown address, an account without an alternate address and a company that does not allow codes", async () => {
		const t = await createTenant();
		const alternate = await withAlternate(t);
		const answers: [number, string][] = [];
		const ask = async (email: string) => {
			const res = await askCode(email, "192.0.2.50");
			answers.push([res.status, await res.text()]);
		};
		await ask(`nobody-${crypto.randomUUID().slice(0, 6)}@${t.domain}`);
		await ask(t.bob.email);
		const admin = await signInAdmin(t);
		const patched = await api("/admin/company", admin, {
			method: "PATCH",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ signinCodes: false }),
		});
		expect(((await patched.json()) as { signinCodes: boolean }).signinCodes).toBe(false);
		await ask(t.alice.email);
		expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
		expect(answers[0]?.[0]).toBe(202);
		// What happened is the company's to know, not the asker's.
		await vi.waitFor(async () => expect(await events(t.customerId, "auth.code_not_sent")).toHaveLength(2), wait);
		expect((await events(t.customerId, "auth.code_not_sent")).map((d) => d.reason).sort()).toEqual([
			"the company does not allow sign-in codes",
			"the user has no alternate address",
		]);
		expect(await outbox(alternate)).toEqual([]);
	});

	it("is throttled per address and per client, and refuses what is not an address", async () => {
		const t = await createTenant();
		for (let i = 0; i < 5; i++) expect((await askCode(t.alice.email, `192.0.2.${60 + i}`)).status).toBe(202);
		const throttled = await askCode(t.alice.email, "192.0.2.70");
		expect(throttled.status).toBe(429);
		expect(throttled.headers.get("Retry-After")).toBe("900");
		expect((await askCode("not an address")).status).toBe(400);
		expect((await post("/session", { email: t.alice.email, code: "12ab56" })).status).toBe(400);
	});

	it("ends in the same throttle as passwords: ten wrong codes for one address lock it for 15 minutes", async () => {
		const t = await createTenant();
		for (let i = 0; i < 10; i++) expect((await signInWith(t.alice.email, "000000", `192.0.2.${80 + i}`)).status).toBe(401);
		expect((await signInWith(t.alice.email, "000000", "192.0.2.99")).status).toBe(429);
	});
});
