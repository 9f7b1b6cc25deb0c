// Welcome mail: an admin invites users; each gets one real message at their alternate address
// (the test outbox, or the company's smarthost) with a one-time link that sets a password once,
// signs every old session out, and then the new password signs in. A wrong, used, expired or
// disabled user's link fails the same way, and guessing is throttled.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import type { ImportResult, InviteResult, UserPage } from "../../src/api/user-types";
import { sha256Hex } from "../../src/lib/bytes";
import { configure, outbox, scriptedServer } from "./downstream";
import { api, createTenant, PASSWORD, signIn, signInAdmin, type Tenant } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };
const NEW_PASSWORD = "a much longer pass phrase";

const send = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json", ...headers },
	body: JSON.stringify(body),
});

const setPassword = (token: string, password: string, ip = "192.0.2.1") =>
	api("/session/password", "", send("POST", { token, password }, { "CF-Connecting-IP": ip }));

const alternateFor = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}@home.example`;

async function setAlternate(userId: string, alternate: string | null) {
	await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE id = ?").bind(alternate, userId).run();
}

/** The welcome mails that reached `to`, parsed, with the token of each link. */
async function welcomes(to: string) {
	return Promise.all(
		(await outbox(to)).map(async (m) => {
			const mail = await PostalMime.parse(m.raw);
			const token = /\/set-password\?token=([\w-]+)/.exec(mail.text ?? "")?.[1] ?? "";
			return { from: m.from, mail, token };
		}),
	);
}

async function invite(admin: string, ids: string[]) {
	const res = await api("/admin/users/invite", admin, send("POST", { ids }));
	expect(res.status).toBe(202);
	return (await res.json()) as InviteResult;
}

async function userRow(t: Tenant, email: string) {
	const page = (await (await api(`/admin/users?q=${encodeURIComponent(email)}`, await signInAdmin2(t))).json()) as UserPage;
	return page.users[0];
}

/** A second admin session of the tenant (the first may have been used up by a test). */
async function signInAdmin2(t: Tenant) {
	return signIn(`admin@${t.domain}`);
}

describe("welcome mail", () => {
	it("sends one message with a one-time link to each user's alternate address, and skips those it cannot", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alternate = alternateFor("alice");
		await setAlternate(t.alice.id, alternate);
		const carol = alternateFor("carol");
		const created = await api("/admin/users", admin, send("POST", { email: `carol@${t.domain}`, alternateEmail: carol }));
		const carolId = ((await created.json()) as { id: string }).id;
		await api(`/admin/users/${carolId}`, admin, send("PATCH", { disabled: true }));

		const result = await invite(admin, [t.alice.id, t.bob.id, carolId]);
		expect(result.queued).toEqual([{ id: t.alice.id, email: t.alice.email, to: alternate }]);
		expect(result.skipped).toEqual([
			{ id: t.bob.id, email: t.bob.email, reason: "No alternate address to send it to." },
			{ id: carolId, email: `carol@${t.domain}`, reason: "The account is disabled." },
		]);

		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		const [welcome] = await welcomes(alternate);
		expect(welcome?.mail.subject).toBe(`Your Emergency Inbox account ${t.alice.email}: choose a password`);
		expect(welcome?.mail.from).toMatchObject({ name: "Emergency Inbox", address: `emergency-inbox@${t.domain}` });
		expect(welcome?.mail.text).toContain(`https://inbox.emergency-inbox.example/set-password?token=${welcome?.token}`);
		expect(welcome?.mail.text).toContain("Then sign in at https://inbox.emergency-inbox.example/login with");
		expect(welcome?.token).toMatch(/^[\w-]{43}$/);
		// Only the token's hash is stored, with a 7-day expiry.
		const stored = await env.DB.prepare("SELECT id, expires_at - created_at AS ttl FROM user_tokens WHERE user_id = ?")
			.bind(t.alice.id)
			.all();
		expect(stored.results).toEqual([{ id: await sha256Hex(welcome?.token ?? ""), ttl: 7 * 86_400_000 }]);
		expect(await userRow(t, t.alice.email)).toMatchObject({ invitePending: true, passwordSet: true });

		const logged = await env.DB.prepare("SELECT actor_user_id AS actor, detail FROM events WHERE customer_id = ? AND kind = 'user.invited'")
			.bind(t.customerId)
			.all<{ actor: string; detail: string }>();
		expect(logged.results).toHaveLength(1);
		expect(JSON.parse(logged.results[0]?.detail ?? "{}")).toMatchObject({ email: t.alice.email, to: alternate });
		expect(await outbox(`carol@${t.domain}`)).toEqual([]);
	});

	it("sets the password once, signs every old session out, and the new password signs in", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alternate = alternateFor("alice");
		await setAlternate(t.alice.id, alternate);
		const before = await signIn(t.alice.email);
		await invite(admin, [t.alice.id]);
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		const token = (await welcomes(alternate))[0]?.token ?? "";

		const short = await setPassword(token, "too short");
		expect(short.status).toBe(422);
		expect(((await short.json()) as { detail: string }).detail).toMatch(/at least 12 characters/);
		const res = await setPassword(token, NEW_PASSWORD);
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ email: t.alice.email });

		expect((await api("/session", before)).status).toBe(401);
		await expect(signIn(t.alice.email, PASSWORD)).rejects.toThrow(/401/);
		expect((await api("/mailbox/messages", await signIn(t.alice.email, NEW_PASSWORD))).status).toBe(200);
		const again = await setPassword(token, "another long password");
		expect(again.status).toBe(410);
		await expect(signIn(t.alice.email, "another long password")).rejects.toThrow(/401/);
		expect(await userRow(t, t.alice.email)).toMatchObject({ invitePending: false, passwordSet: true });
		const set = await env.DB.prepare("SELECT actor_user_id AS actor FROM events WHERE customer_id = ? AND kind = 'auth.password_set'")
			.bind(t.customerId)
			.all();
		expect(set.results).toEqual([{ actor: t.alice.id }]);
	});

	it("keeps one working link: inviting again spends the previous one", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alternate = alternateFor("bob");
		await setAlternate(t.bob.id, alternate);
		await invite(admin, [t.bob.id]);
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		await invite(admin, [t.bob.id]);
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(2), wait);
		const [first, second] = await welcomes(alternate);
		expect(first?.token).not.toBe(second?.token);
		expect((await setPassword(first?.token ?? "", NEW_PASSWORD)).status).toBe(410);
		expect((await setPassword(second?.token ?? "", NEW_PASSWORD)).status).toBe(200);
	});

	it("refuses wrong, expired and disabled users' links with one answer that says nothing more", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alice = alternateFor("alice");
		const bob = alternateFor("bob");
		await setAlternate(t.alice.id, alice);
		await setAlternate(t.bob.id, bob);
		await invite(admin, [t.alice.id, t.bob.id]);
		await vi.waitFor(async () => expect([...(await outbox(alice)), ...(await outbox(bob))]).toHaveLength(2), wait);
		const aliceToken = (await welcomes(alice))[0]?.token ?? "";
		const bobToken = (await welcomes(bob))[0]?.token ?? "";
		await env.DB.prepare("UPDATE user_tokens SET expires_at = ? WHERE id = ?")
			.bind(Date.now() - 1, await sha256Hex(aliceToken))
			.run();
		await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { disabled: true }));

		const answers = await Promise.all(
			[aliceToken, bobToken, "x".repeat(43)].map(async (token) => {
				const res = await setPassword(token, NEW_PASSWORD, "192.0.2.44");
				return { status: res.status, body: await res.text() };
			}),
		);
		expect(answers.map((a) => a.status)).toEqual([410, 410, 410]);
		expect(new Set(answers.map((a) => a.body)).size).toBe(1);
		expect(JSON.parse(answers[0]?.body ?? "{}")).toMatchObject({ title: "Link no longer valid" });
		expect((await setPassword("", NEW_PASSWORD)).status).toBe(400);
		await expect(signIn(t.alice.email, NEW_PASSWORD)).rejects.toThrow(/401/);
	});

	it("throttles a client that keeps trying wrong links, even with a right one afterwards", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alternate = alternateFor("alice");
		await setAlternate(t.alice.id, alternate);
		await invite(admin, [t.alice.id]);
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		const token = (await welcomes(alternate))[0]?.token ?? "";
		const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
		for (let i = 0; i < 50; i++) expect((await setPassword(`guess-${i}`, NEW_PASSWORD, ip)).status).toBe(410);
		const limited = await setPassword(token, NEW_PASSWORD, ip);
		expect(limited.status).toBe(429);
		expect(limited.headers.get("Retry-After")).toBe("900");
		expect((await setPassword(token, NEW_PASSWORD, "192.0.2.99")).status).toBe(200);
	});

	it("goes through the company's smarthost, and a refused address is logged and leaves no pending link", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alice = alternateFor("alice");
		const bob = alternateFor("bob");
		await setAlternate(t.alice.id, alice);
		await setAlternate(t.bob.id, bob);
		const smarthost = await scriptedServer({ rcpt: { [bob]: "550 5.1.1 no such mailbox" } });
		await configure(t, { smarthost_host: "127.0.0.1", smarthost_port: smarthost.port, smarthost_tls: "off" });
		await invite(admin, [t.alice.id, t.bob.id]);
		await vi.waitFor(async () => expect(await smarthost.messages()).toHaveLength(1), wait);
		expect((await smarthost.messages())[0]?.to).toEqual([alice]);
		await vi.waitFor(
			async () =>
				expect(
					await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = 'user.invite_failed'")
						.bind(t.customerId)
						.first("detail"),
				).toBeTruthy(),
			wait,
		);
		const failed = await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = 'user.invite_failed'")
			.bind(t.customerId)
			.first<string>("detail");
		expect(JSON.parse(failed ?? "{}")).toMatchObject({ email: t.bob.email, to: bob, willRetry: false });
		expect(await userRow(t, t.bob.email)).toMatchObject({ invitePending: false });
		expect(await userRow(t, t.alice.email)).toMatchObject({ invitePending: true });
		await smarthost.stop();
	});

	it("can go out right after a CSV import, to the new users that have an alternate address", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const dana = alternateFor("dana");
		const csv = `email,alternate_email\ndana@${t.domain},${dana}\neli@${t.domain},\n`;
		const res = await api("/admin/users/import", admin, send("POST", { csv, invite: true }));
		const result = (await res.json()) as ImportResult;
		expect(result.created.map((c) => c.email)).toEqual([`dana@${t.domain}`, `eli@${t.domain}`]);
		expect(result.invited?.map((c) => [c.line, c.email])).toEqual([[2, `dana@${t.domain}`]]);
		await vi.waitFor(async () => expect(await outbox(dana)).toHaveLength(1), wait);
		const token = (await welcomes(dana))[0]?.token ?? "";
		expect((await setPassword(token, NEW_PASSWORD)).status).toBe(200);
		expect((await api("/session", await signIn(`dana@${t.domain}`, NEW_PASSWORD))).status).toBe(200);
	});

	it("refuses ids of another company's users and sends nothing", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const alternate = alternateFor("other");
		await setAlternate(other.alice.id, alternate);
		const res = await api("/admin/users/invite", await signInAdmin(t), send("POST", { ids: [t.alice.id, other.alice.id] }));
		expect(res.status).toBe(404);
		expect((await api("/admin/users/invite", await signIn(t.alice.email), send("POST", { ids: [t.alice.id] }))).status).toBe(403);
		expect((await api("/admin/users/invite", await signInAdmin2(t), send("POST", { ids: [] }))).status).toBe(422);
		expect(await outbox(alternate)).toEqual([]);
	});
});
