import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createTenant, PASSWORD, signIn } from "./helpers";

function login(body: unknown, headers: Record<string, string> = {}, origin = "http://localhost") {
	return SELF.fetch(`${origin}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json", Origin: origin, ...headers },
		body: JSON.stringify(body),
	});
}

describe("POST /api/session", () => {
	it("signs in with an HttpOnly SameSite cookie, not Secure on plain-http localhost", async () => {
		const t = await createTenant();
		const res = await login({ email: t.alice.email, password: PASSWORD });
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ user: { email: t.alice.email, role: "user" } });
		const cookie = res.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^ei_session=[\w-]{43};/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
	});

	it("uses a Secure __Host- cookie over https", async () => {
		const t = await createTenant();
		const res = await login({ email: t.alice.email, password: PASSWORD }, {}, "https://inbox.example.com");
		expect(res.status).toBe(200);
		const cookie = res.headers.get("Set-Cookie") ?? "";
		expect(cookie).toMatch(/^__Host-ei_session=/);
		expect(cookie).toMatch(/; Secure/i);
		expect(cookie).toMatch(/; Path=\//i);
		expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=/);
	});

	it("answers a wrong password and an unknown address identically, as problem+json", async () => {
		const t = await createTenant();
		const wrong = await login({ email: t.alice.email, password: "nope" });
		const unknown = await login({ email: `nobody@${t.domain}`, password: "nope" });
		for (const res of [wrong, unknown]) {
			expect(res.status).toBe(401);
			expect(res.headers.get("Content-Type")).toBe("application/problem+json");
			expect(res.headers.get("Set-Cookie")).toBeNull();
		}
		expect(await wrong.json()).toEqual(await unknown.json());
	});

	it("refuses a disabled account like a wrong password", async () => {
		const t = await createTenant();
		await env.DB.prepare("UPDATE users SET disabled_at = 1 WHERE id = ?").bind(t.alice.id).run();
		expect((await login({ email: t.alice.email, password: PASSWORD })).status).toBe(401);
	});

	it("answers a malformed body with 400", async () => {
		const res = await login({ email: 42 });
		expect(res.status).toBe(400);
		expect((await res.json()) as object).toMatchObject({ status: 400, title: "Invalid request" });
	});

	it("throttles repeated failures for an account, even with the right password afterwards", async () => {
		const t = await createTenant();
		const ip = { "CF-Connecting-IP": "203.0.113.5" };
		for (let i = 0; i < 10; i++) expect((await login({ email: t.alice.email, password: `guess-${i}` }, ip)).status).toBe(401);
		const res = await login({ email: t.alice.email, password: PASSWORD }, ip);
		expect(res.status).toBe(429);
		expect(res.headers.get("Retry-After")).toBe("900");
		// Another account from another address is unaffected.
		expect((await login({ email: t.bob.email, password: PASSWORD }, { "CF-Connecting-IP": "192.0.2.7" })).status).toBe(200);
	});

	it("throttles one IP spraying many addresses", async () => {
		const t = await createTenant();
		const ip = { "CF-Connecting-IP": "198.51.100.9" };
		for (let i = 0; i < 50; i++) await login({ email: `user${i}@${t.domain}`, password: "x" }, ip);
		expect((await login({ email: t.alice.email, password: PASSWORD }, ip)).status).toBe(429);
	});

	it("records sign-ins and failed sign-ins in the audit log", async () => {
		const t = await createTenant();
		await login({ email: t.alice.email, password: "bad" });
		await signIn(t.alice.email);
		const kinds = await env.DB.prepare("SELECT kind FROM events WHERE actor_user_id = ? ORDER BY id").bind(t.alice.id).all();
		expect(kinds.results.map((r) => r.kind)).toEqual(["auth.login_failed", "auth.login"]);
	});
});

describe("CSRF defence", () => {
	it("refuses a sign-in posted from another origin", async () => {
		const t = await createTenant();
		const res = await SELF.fetch("http://localhost/api/session", {
			method: "POST",
			headers: { "Content-Type": "application/json", Origin: "https://evil.example" },
			body: JSON.stringify({ email: t.alice.email, password: PASSWORD }),
		});
		expect(res.status).toBe(403);
	});

	it("refuses a cross-site request by fetch metadata", async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		const res = await api("/session", cookie, { method: "DELETE", headers: { "Sec-Fetch-Site": "cross-site" } });
		expect(res.status).toBe(403);
		expect((await api("/session", cookie)).status).toBe(200);
	});

	it("refuses a form-encoded body, which a cross-site form could send", async () => {
		const res = await SELF.fetch("http://localhost/api/session", {
			method: "POST",
			headers: { "Content-Type": "application/x-www-form-urlencoded" },
			body: "email=a&password=b",
		});
		expect(res.status).toBe(415);
	});
});

describe("DELETE /api/session", () => {
	it("revokes the session on the server, so the old cookie stops working", async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		expect((await api("/session", cookie)).status).toBe(200);
		const out = await api("/session", cookie, { method: "DELETE" });
		expect(out.status).toBe(204);
		expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0/i);
		expect((await api("/session", cookie)).status).toBe(401);
		expect((await api("/mailbox/messages", cookie)).status).toBe(401);
	});

	it("ends a session idle for more than two hours", async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		await env.DB.prepare("UPDATE sessions SET last_seen_at = last_seen_at - 7300000 WHERE user_id = ?").bind(t.alice.id).run();
		expect((await api("/session", cookie)).status).toBe(401);
	});
});
