// The delivery log is the domain object's, the audit log the company's (issue #11): mail adds
// lines to the first and nothing to the second; the log tells an admin what happened to each
// message, pages newest first, and the object drops its lines after 90 days on its own alarm.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { DeliveryLogPage } from "../../src/api/domain-types";
import { type DomainRelay, LOG_RETENTION_MS } from "../../src/domain/domain-relay";
import { configure, idOf, outbox, relayOf, scriptedServer, setClock, statusOf } from "./downstream";
import { api, createTenant, deliver, signInAdmin, simpleMessage } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };

const auditRows = async (customerId: string) =>
	(await env.DB.prepare("SELECT count(*) AS n FROM events WHERE customer_id = ?").bind(customerId).first<number>("n")) ?? 0;

describe("what the delivery log records", () => {
	it("a held message's life, received to delivered, and nothing of it in the audit log", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		const before = await auditRows(t.customerId);
		for (let i = 0; i < 5; i++) await deliver("x@example.org", t.alice.email, simpleMessage(`held ${i}`));
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		await relayOf(t).retryNow();
		const id = await idOf(t.alice.email, "held 0");
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		await vi.waitFor(async () => expect((await relayOf(t).log(null, 50)).filter((e) => e.kind === "delivered")).toHaveLength(5), wait);

		const mine = (await relayOf(t).log(null, 50)).filter((e) => e.messageId === id);
		expect(mine.map((e) => e.kind)).toEqual(["delivered", "received"]);
		expect(mine[0]).toMatchObject({ recipient: t.alice.email, detail: { code: 250, remoteMta: "mx.scripted.test" } });
		// Five messages held and delivered: not one row more in the company's audit log.
		expect(await auditRows(t.customerId)).toBe(before);
	});

	it("a redelivery of mail already delivered is acknowledged, and neither delivered, logged nor counted again", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const raw = simpleMessage("once only");
		await deliver("x@example.org", t.alice.email, raw);
		const id = await idOf(t.alice.email, "once only");
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		// Email Routing retries after a lost acknowledgement, long after we relayed the message.
		expect((await deliver("x@example.org", t.alice.email, raw)).rejected).toBeNull();
		await relayOf(t).retryNow();
		const status = await relayOf(t).status();
		expect([status.spooled, status.inflight, status.delivered]).toEqual([0, 0, 1]);
		expect((await relayOf(t).log(null, 10)).map((e) => e.kind)).toEqual(["delivered", "received"]);
		expect(await server.messages()).toHaveLength(1);
	});

	it("a refusal: given up, and the notice to the sender", async () => {
		const t = await createTenant();
		const server = await scriptedServer({ rcpt: { [t.alice.email]: "550 5.1.1 <alice>: no such user" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const sender = `s${crypto.randomUUID().slice(0, 8)}@example.org`;
		await deliver(sender, t.alice.email, simpleMessage("refused").replace("From: Sender <sender@example.org>", `From: <${sender}>`));
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(1), wait);
		await vi.waitFor(
			async () => expect((await relayOf(t).log(null, 10)).map((e) => e.kind)).toEqual(["dsn.sent", "bounced", "received"]),
			wait,
		);
		const [dsn, bounced] = await relayOf(t).log(null, 10);
		expect(bounced).toMatchObject({ detail: { code: 550, enhanced: "5.1.1" } });
		expect(dsn).toMatchObject({ recipient: t.alice.email, detail: { action: "failed", to: sender } });
	});

	it("keeps 90 days: the object's alarm drops older lines, reading only those", async () => {
		const t = await createTenant();
		const start = Date.now();
		await setClock(t, start);
		await deliver("x@example.org", t.alice.email, simpleMessage("old"));
		await setClock(t, start + 10 * 86_400_000);
		await deliver("x@example.org", t.alice.email, simpleMessage("newer"));
		// The alarm waits for the oldest line's 90 days (or something sooner).
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBeLessThanOrEqual(start + LOG_RETENTION_MS);

		await setClock(t, start + LOG_RETENTION_MS + 1);
		await runDurableObjectAlarm(relayOf(t));
		// Both messages expired meanwhile (30 days) and were given up on just now: those lines stay.
		const left = (await relayOf(t).log(null, 10)).filter((e) => e.kind === "received");
		expect(left.map((e) => e.at)).toEqual([start + 10 * 86_400_000]);
	});
});

describe("GET /api/admin/domains/:id/log", () => {
	it("pages newest first with a cursor, and answers 404 for another company's domain", async () => {
		const t = await createTenant();
		for (let i = 0; i < 7; i++) await deliver("x@example.org", t.alice.email, simpleMessage(`m${i}`));
		const admin = await signInAdmin(t);
		const first = (await (await api(`/admin/domains/${t.domainId}/log?limit=4`, admin)).json()) as DeliveryLogPage;
		expect(first.entries).toHaveLength(4);
		expect(first.nextCursor).not.toBeNull();
		const second = (await (
			await api(`/admin/domains/${t.domainId}/log?limit=4&cursor=${first.nextCursor}`, admin)
		).json()) as DeliveryLogPage;
		expect(second.entries).toHaveLength(3);
		expect(second.nextCursor).toBeNull();
		const all = [...first.entries, ...second.entries];
		expect(new Set(all.map((e) => e.messageId)).size).toBe(7);
		expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => b - a));
		expect(all.every((e) => e.kind === "received" && e.recipient === t.alice.email && !Number.isNaN(Date.parse(e.at)))).toBe(true);

		const other = await createTenant();
		expect((await api(`/admin/domains/${t.domainId}/log`, await signInAdmin(other))).status).toBe(404);
		const bad = await api(`/admin/domains/${t.domainId}/log?cursor=abc`, admin);
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { title: string }).title).toBe("Invalid cursor");
	});
});
