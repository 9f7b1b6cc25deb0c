// The customer admin's delivery API, with its denials: users, other customers' admins and
// anonymous callers get nothing, and a secret never comes back out.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/api/app";
import { seal } from "../../src/lib/secret-box";
import { configure, idOf, relayOf, scriptedServer } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage } from "./helpers";

const json = (body: unknown): RequestInit => ({
	method: "PATCH",
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});
const post = (): RequestInit => ({ method: "POST" });

interface DomainView {
	id: string;
	name: string;
	health: { state: string; since: string; lastError: string | null; lastProbeAt: string | null };
	counts: { spooled: number; deferred: number; delivered: number; bounced: number };
	delivery: { host: string | null; port: number | null; tls: string; authUser: string | null };
	policy: Record<string, unknown>;
}

describe("GET /api/admin/domains", () => {
	it("shows the admin's domains with health, counts, destination and policy", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		await deliver("x@example.org", t.alice.email, simpleMessage("held"));
		const res = await api("/admin/domains", admin);
		expect(res.status).toBe(200);
		const { domains } = (await res.json()) as { domains: DomainView[] };
		expect(domains).toHaveLength(1);
		expect(domains[0]).toMatchObject({
			id: t.domainId,
			name: t.domain,
			// No destination yet: nothing can be delivered, so the domain counts as down.
			health: { state: "down" },
			counts: { spooled: 1, deferred: 0, delivered: 0, bounced: 0 },
			delivery: { host: null, port: null, tls: "opportunistic", authUser: null },
			policy: {
				unknownRecipients: "reject",
				retrySchedule: [300, 900, 1800, 3600],
				delayWarnings: [14400, 86400, 259200],
				lifetimeSeconds: 2592000,
			},
		});
	});

	it("is refused to users (403), to anonymous callers (401), and shows another customer nothing", async () => {
		const t = await createTenant();
		const other = await createTenant();
		expect((await api("/admin/domains", await signIn(t.alice.email))).status).toBe(403);
		expect((await api("/admin/domains", "")).status).toBe(401);
		const { domains } = (await (await api("/admin/domains", await signInAdmin(other))).json()) as { domains: DomainView[] };
		expect(domains.map((d) => d.id)).toEqual([other.domainId]);
	});
});

describe("PATCH /api/admin/domains/:id", () => {
	it("sets the destination, seals the AUTH password, and never returns it", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const res = await api(
			`/admin/domains/${t.domainId}`,
			admin,
			json({ delivery: { host: "MX.Example.COM", port: 2525, tls: "required", auth: { user: "relay", pass: "s3cret-pass" } } }),
		);
		expect(res.status).toBe(200);
		const body = await res.text();
		expect(body).not.toContain("s3cret-pass");
		expect(JSON.parse(body)).toMatchObject({ delivery: { host: "mx.example.com", port: 2525, tls: "required", authUser: "relay" } });
		const stored = await env.DB.prepare("SELECT delivery_auth_secret AS s FROM domains WHERE id = ?").bind(t.domainId).first<string>("s");
		expect(stored).toMatch(/^v1\./);
		expect(stored).not.toContain("s3cret");
		const audit = await env.DB.prepare("SELECT detail FROM events WHERE domain_id = ? AND kind = 'domain.updated'")
			.bind(t.domainId)
			.first<string>("detail");
		expect(audit).toContain("deliveryAuth");
		expect(audit).not.toContain("s3cret");
	});

	it("validates policy values and names what is wrong", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const cases: [unknown, RegExp][] = [
			[{ policy: { retrySchedule: [1] } }, /retrySchedule/],
			[{ policy: { lifetimeSeconds: 40 * 86400 } }, /30 days/],
			[{ policy: { drainConnections: 0 } }, /drainConnections/],
			[{ policy: { unknownRecipients: "maybe" } }, /unknownRecipients/],
			[{ delivery: { host: "mx.example.com", port: 70000 } }, /port/],
			[{ delivery: { host: "mx.example.com", port: 2525, tls: "sometimes" } }, /tls/],
		];
		for (const [body, detail] of cases) {
			const res = await api(`/admin/domains/${t.domainId}`, admin, json(body));
			expect(res.status, JSON.stringify(body)).toBe(422);
			expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
		}
		const ok = await api(
			`/admin/domains/${t.domainId}`,
			admin,
			json({ policy: { retrySchedule: [120, 600], delayWarnings: [3600], lifetimeSeconds: 86400, drainConnections: 1 } }),
		);
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as DomainView).policy).toMatchObject({
			retrySchedule: [120, 600],
			delayWarnings: [3600],
			lifetimeSeconds: 86400,
			drainConnections: 1,
		});
	});

	it("answers 404 for another customer's domain and changes nothing", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const res = await api(`/admin/domains/${other.domainId}`, await signInAdmin(t), json({ policy: { unknownRecipients: "accept" } }));
		expect(res.status).toBe(404);
		expect(await env.DB.prepare("SELECT unknown_recipients AS u FROM domains WHERE id = ?").bind(other.domainId).first("u")).toBe("reject");
	});

	it("refuses a cross-site PATCH", async () => {
		const t = await createTenant();
		const res = await api(`/admin/domains/${t.domainId}`, await signInAdmin(t), {
			...json({ policy: {} }),
			headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" },
		});
		expect(res.status).toBe(403);
	});
});

describe("domain actions", () => {
	it("tests the destination and returns the SMTP transcript", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const res = await api(`/admin/domains/${t.domainId}/test`, admin, post());
		expect(res.status).toBe(200);
		const body = (await res.json()) as { ok: boolean; transcript: string[] };
		expect(body.ok).toBe(true);
		expect(body.transcript.some((l) => l.startsWith("S: 220"))).toBe(true);
		expect(body.transcript.some((l) => /^C: EHLO /.test(l))).toBe(true);
		await server.stop();
		const down = (await (await api(`/admin/domains/${t.domainId}/test`, admin, post())).json()) as { ok: boolean };
		expect(down.ok).toBe(false);
	});

	it("answers a clear 503 when the stored AUTH password cannot be opened (no key, or another key), without connecting", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer();
		const app = createApp({ now: () => Date.now() });
		const test = async (withEnv: Env) => {
			const res = await app.request(
				`http://localhost/api/admin/domains/${t.domainId}/test`,
				{ method: "POST", headers: { Cookie: admin } },
				withEnv,
			);
			return { status: res.status, type: res.headers.get("Content-Type"), body: (await res.json()) as { title: string; detail: string } };
		};
		const secret = await seal((env as Env).CREDENTIALS_KEY as string, "s3cret", t.domainId);
		await configure(t, {
			delivery_host: "127.0.0.1",
			delivery_port: server.port,
			delivery_tls: "off",
			delivery_auth_user: "relay",
			delivery_auth_secret: secret,
		});
		const missing = await test({ ...env, CREDENTIALS_KEY: undefined });
		expect(missing).toMatchObject({ status: 503, type: "application/problem+json", body: { title: "Credentials cannot be opened" } });
		expect(missing.body.detail).toMatch(/CREDENTIALS_KEY/);
		const otherKey = btoa("another 32-byte credentials key!");
		expect(await test({ ...env, CREDENTIALS_KEY: otherKey })).toMatchObject({
			status: 503,
			body: { title: "Credentials cannot be opened" },
		});
		expect(await test({ ...env, CREDENTIALS_KEY: "not base64!" })).toMatchObject({
			status: 503,
			body: { title: "Credentials cannot be opened" },
		});
		expect(await server.connections()).toBe(0);
		await server.stop();
	});

	it("holds and releases delivery, and retry drains when the server answers", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		expect(((await (await api(`/admin/domains/${t.domainId}/hold`, admin, post())).json()) as { held: boolean }).held).toBe(true);
		await deliver("x@example.org", t.alice.email, simpleMessage("on hold"));
		expect(await server.connections()).toBe(0);
		const list = (await (await api("/admin/domains", admin)).json()) as { domains: DomainView[] };
		expect(list.domains[0]?.health.state).toBe("held");
		expect(((await (await api(`/admin/domains/${t.domainId}/release`, admin, post())).json()) as { held: boolean }).held).toBe(false);
		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(1), { timeout: 15_000, interval: 50 });
		const retry = await api(`/admin/domains/${t.domainId}/retry`, admin, post());
		expect(retry.status).toBe(200);
		expect(await retry.json()).toMatchObject({ health: "up", outcome: "delivered" });
		const kinds = await env.DB.prepare("SELECT kind FROM events WHERE domain_id = ? AND kind LIKE 'domain.%' ORDER BY id")
			.bind(t.domainId)
			.all();
		expect(kinds.results.map((r) => r.kind)).toEqual(["domain.hold", "domain.release", "domain.retry"]);
	});
});

describe("message actions", () => {
	it("bounces a held message with a failed DSN, and refuses to bounce it twice", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		await deliver("someone@example.org", t.alice.email, simpleMessage("give up"));
		const id = await idOf(t.alice.email, "give up");
		const res = await api(`/admin/messages/${id}/bounce`, admin, post());
		expect(res.status).toBe(200);
		expect(await env.DB.prepare("SELECT status FROM messages WHERE id = ?").bind(id).first("status")).toBe("bounced");
		expect((await relayOf(t).status()).spooled).toBe(0);
		expect((await api(`/admin/messages/${id}/bounce`, admin, post())).status).toBe(409);
	});

	it("answers 404 for another customer's message and for users", async () => {
		const t = await createTenant();
		const other = await createTenant();
		await deliver("someone@example.org", other.alice.email, simpleMessage("not yours"));
		const id = await idOf(other.alice.email, "not yours");
		expect((await api(`/admin/messages/${id}/retry`, await signInAdmin(t), post())).status).toBe(404);
		expect((await api(`/admin/messages/${id}/bounce`, await signIn(other.alice.email), post())).status).toBe(403);
		expect(await env.DB.prepare("SELECT status FROM messages WHERE id = ?").bind(id).first("status")).toBe("spooled");
	});
});

describe("GET /api/admin/events.csv", () => {
	it("exports the company's log as CSV, with formula-looking values neutralised", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		await api(`/admin/domains/${t.domainId}/hold`, admin, post());
		await env.DB.prepare(
			"INSERT INTO events (id, customer_id, kind, detail, created_at) VALUES (?, ?, 'test.formula', '=HYPERLINK(\"x\")', 1)",
		)
			.bind("01ARZ3NDEKTSV4RRFFQ69G5FAV", t.customerId)
			.run();
		const res = await api("/admin/events.csv", admin);
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
		const csv = await res.text();
		const lines = csv.trimEnd().split("\r\n");
		expect(lines[0]).toBe('"id","time","kind","domain","message","actor","actor_role","ip","detail"');
		// Who acted, by address and role.
		expect(lines.find((l) => l.includes('"domain.hold"'))).toContain(`"admin@${t.domain}","customer_admin"`);
		expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
		const other = await createTenant();
		expect(await (await api("/admin/events.csv", await signInAdmin(other))).text()).not.toContain("domain.hold");
	});
});
