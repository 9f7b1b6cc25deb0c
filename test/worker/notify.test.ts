// Outage notifications: admins hear at their alternate address when their server goes down
// and when it is back, at most once per state in half an hour, and it is in the log.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import { configure, outbox, relayOf, scriptedServer, setClock } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };

describe("outage notifications", () => {
	it("tell the admins at their alternate address, once per state, with the Emergency Inbox link", async () => {
		const t = await createTenant();
		await signInAdmin(t);
		const alternate = `it-${crypto.randomUUID().slice(0, 8)}@home.example`;
		await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE email = ?").bind(alternate, `admin@${t.domain}`).run();
		const server = await scriptedServer({ greeting: "421 4.3.2 down for maintenance" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });

		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		const down = await PostalMime.parse((await outbox(alternate))[0]?.raw ?? "");
		expect(down.subject).toBe(`[Emergency Inbox] ${t.domain}: your mail server is unreachable`);
		expect(down.text).toContain("https://inbox.emergency-inbox.example/");
		expect(down.text).toContain("421");

		await server.setScript({});
		expect((await relayOf(t).retryNow()).kind).toBe("delivered");
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(2), wait);
		expect((await PostalMime.parse((await outbox(alternate))[1]?.raw ?? "")).subject).toMatch(/your mail server is back$/);

		// It flaps: down again within half an hour is not announced twice.
		await server.setScript({ greeting: "421 4.3.2 down again" });
		await deliver("x@example.org", t.alice.email, simpleMessage("second"));
		await vi.waitFor(async () => expect((await relayOf(t).status()).health.state).toBe("down"), wait);
		await vi.waitFor(
			async () =>
				expect(
					await env.DB.prepare("SELECT count(*) AS n FROM events WHERE domain_id = ? AND kind = 'domain.down'").bind(t.domainId).first("n"),
				).toBe(2),
			wait,
		);
		const logged = await env.DB.prepare("SELECT kind FROM events WHERE domain_id = ? AND kind LIKE 'notify.%' ORDER BY id")
			.bind(t.domainId)
			.all();
		expect(logged.results.map((r) => r.kind)).toEqual(["notify.down", "notify.up"]);
		expect(await outbox(alternate)).toHaveLength(2);
	});

	it("tell users too when the company turns it on, in words for users, and only then", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const aliceHome = `alice-${crypto.randomUUID().slice(0, 8)}@home.example`;
		await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE id = ?").bind(aliceHome, t.alice.id).run();
		const server = await scriptedServer({ greeting: "421 4.3.2 down for maintenance" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });

		// Off (the default): alice hears nothing about the first outage.
		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		await vi.waitFor(async () => expect(await notices(t.domainId)).toContain("domain.down"), wait);
		await server.setScript({});
		expect((await relayOf(t).retryNow()).kind).toBe("delivered");
		await vi.waitFor(async () => expect(await notices(t.domainId)).toContain("domain.up"), wait);
		expect(await outbox(aliceHome)).toHaveLength(0);

		const turnedOn = await api("/admin/company", admin, {
			method: "PATCH",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ notifyUsers: true }),
		});
		expect(((await turnedOn.json()) as { notifyUsers: boolean }).notifyUsers).toBe(true);
		// Half an hour later it goes down again: now alice is told, as a user.
		await setClock(t, Date.now() + 31 * 60_000);
		await server.setScript({ greeting: "421 4.3.2 down again" });
		await deliver("x@example.org", t.alice.email, simpleMessage("second"));
		await vi.waitFor(async () => expect(await outbox(aliceHome)).toHaveLength(1), wait);
		const mail = await PostalMime.parse((await outbox(aliceHome))[0]?.raw ?? "");
		expect(mail.text).toContain("Your new mail is held safely: read and answer it in your Emergency Inbox");
		expect(mail.text).not.toContain("/admin");
		const logged = await env.DB.prepare("SELECT detail FROM events WHERE domain_id = ? AND kind = 'notify.down'").bind(t.domainId).all();
		expect(logged.results.map((r) => JSON.parse(String(r.detail)).user)).toContain(t.alice.email);
	});

	it("company settings: admins read and change them in words; users are refused", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const patch = (cookie: string, body: unknown) =>
			api("/admin/company", cookie, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
		expect(await (await api("/admin/company", admin)).json()).toMatchObject({ id: t.customerId, notifyUsers: false });
		expect((await patch(admin, { notifyUsers: "yes" })).status).toBe(422);
		expect((await patch(admin, { name: "x" })).status).toBe(422);
		expect(await (await patch(admin, { name: "Renamed Co" })).json()).toMatchObject({ name: "Renamed Co" });
		expect((await patch(await signIn(t.alice.email), { notifyUsers: true })).status).toBe(403);
		const changed = await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = 'company.updated'")
			.bind(t.customerId)
			.all();
		expect(changed.results.map((r) => JSON.parse(String(r.detail)))).toEqual([{ name: "Renamed Co" }]);
	});
});

async function notices(domainId: string): Promise<string[]> {
	const rows = await env.DB.prepare("SELECT kind FROM events WHERE domain_id = ? ORDER BY id").bind(domainId).all<{ kind: string }>();
	return rows.results.map((r) => r.kind);
}
