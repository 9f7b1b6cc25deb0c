// Outage notifications: admins hear at their alternate address when their server goes down
// and when it is back, at most once per state in half an hour, and it is in the log.
import { env } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import { configure, outbox, relayOf, scriptedServer } from "./downstream";
import { createTenant, deliver, signInAdmin, simpleMessage } from "./helpers";

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
});
