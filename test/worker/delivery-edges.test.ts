// The delivery engine's edges: per-message retries while the server is up, re-handing
// unclaimed mail (cron), dropping expired bodies (the domain's alarm), and dead letters shown to admins.
import {
	createExecutionContext,
	createMessageBatch,
	env,
	getQueueResult,
	runDurableObjectAlarm,
	runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { purgeAbandonedUploads } from "../../src/bodies/retention";
import type { DomainRelay } from "../../src/domain/domain-relay";
import worker from "../../src/index";
import { sweepUnclaimed } from "../../src/ingest/sweep";
import { newId } from "../../src/lib/ids";
import { configure, idOf, relayOf, scriptedServer, setClock, statusOf } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };
const DAY = 86_400_000;

describe("a per-message temporary failure while the server is up", () => {
	it("is retried on the schedule (5 minutes first) without taking the domain down", async () => {
		const t = await createTenant();
		const server = await scriptedServer({ rcpt: { [t.alice.email]: "452 4.2.2 Mailbox full" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const t0 = Date.now();
		await deliver("x@example.org", t.alice.email, simpleMessage("full"));
		const id = await idOf(t.alice.email, "full");
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("deferred"), wait);
		expect((await relayOf(t).status()).health.state).toBe("up");
		// One attempt, its reply in the domain's delivery log; waiting as deferred in its spool.
		await vi.waitFor(async () => {
			const tried = (await relayOf(t).log(null, 10)).filter((e) => e.messageId === id && e.kind === "deferred");
			expect(tried.map((e) => ({ code: e.detail?.code, enhanced: e.detail?.enhanced }))).toEqual([{ code: 452, enhanced: "4.2.2" }]);
		}, wait);
		expect((await relayOf(t).status()).deferred).toBe(1);

		await server.setScript({});
		await setClock(t, t0 + 4 * 60_000);
		await runDurableObjectAlarm(relayOf(t));
		expect(await server.messages()).toHaveLength(0);
		await setClock(t, t0 + 6 * 60_000);
		await runDurableObjectAlarm(relayOf(t));
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		expect(await server.messages()).toHaveLength(1);
	});
});

describe("the cron trigger", () => {
	it("hands a message stored without reaching its Durable Object (a crash between the steps) to it", async () => {
		const t = await createTenant();
		const id = newId();
		const old = Date.now() - 5 * 60_000;
		await env.DB.prepare(
			`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, updated_at)
			 VALUES (?, ?, ?, ?, 'x@example.org', ?, 'orphan', ?, 10, ?, ?, ?)`,
		)
			.bind(id, t.customerId, t.domainId, t.alice.id, t.alice.email, old, crypto.randomUUID(), `c/${t.customerId}/m/${id}.eml`, old)
			.run();
		await env.MAIL.put(`c/${t.customerId}/m/${id}.eml`, "Subject: orphan\r\n\r\nx\r\n");
		expect(await sweepUnclaimed(env, { now: () => Date.now() })).toBeGreaterThanOrEqual(1);
		expect(await statusOf(id)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect((await relayOf(t).status()).spooled).toBe(1);
	});

	it("drops a held message's body once its retention after delivery has passed, keeping the log row", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", held: 1 });
		await deliver("x@example.org", t.alice.email, simpleMessage("kept a while"));
		const id = await idOf(t.alice.email, "kept a while");
		await configure(t, { held: 0 });
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		const cookie = await signIn(t.alice.email);
		expect((await api(`/mailbox/messages/${id}`, cookie)).status).toBe(200);

		// The domain's own alarm drops it when its 30 days are up, not before.
		await setClock(t, Date.now() + 29 * DAY);
		await runDurableObjectAlarm(relayOf(t));
		expect((await api(`/mailbox/messages/${id}/raw`, cookie)).status).toBe(200);
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBeLessThanOrEqual(Date.now() + 30 * DAY + 60_000);
		await setClock(t, Date.now() + 31 * DAY);
		await runDurableObjectAlarm(relayOf(t));
		const gone = await api(`/mailbox/messages/${id}/raw`, cookie);
		expect(gone.status).toBe(410);
		expect(((await gone.json()) as { title: string }).title).toBe("Message body expired");
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/` })).objects).toHaveLength(0);
		// The delivery log outlives the body: one line for its delivery, in the domain's object.
		expect((await relayOf(t).log(null, 200)).filter((e) => e.messageId === id && e.kind === "delivered")).toHaveLength(1);
	});
});

describe("the dead-letter queue", () => {
	it("records a job that failed every retry where the customer's admin sees it", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("dead"));
		const id = await idOf(t.alice.email, "dead");
		const batch = createMessageBatch("ei-delivery-dlq", [
			{ id: "d1", timestamp: new Date(), attempts: 11, body: { kind: "deliver", domain: t.domain, batchId: "b", messageIds: [id] } },
		]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env);
		expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["d1"]);

		const res = await api("/admin/events?kind=queue.", await signInAdmin(t));
		const { events } = (await res.json()) as { events: { kind: string; messageId: string; detail: { queue: string } }[] };
		expect(events).toEqual([
			expect.objectContaining({ kind: "queue.dead_letter", messageId: id, detail: expect.objectContaining({ queue: "ei-delivery-dlq" }) }),
		]);
		// Another customer's admin does not see it.
		const other = await createTenant();
		const theirs = (await (await api("/admin/events?kind=queue.", await signInAdmin(other))).json()) as { events: unknown[] };
		expect(theirs.events).toEqual([]);
	});
});

describe("abandoned uploads", () => {
	it("are removed a day after upload, file and row", async () => {
		const t = await createTenant();
		const alice = await signIn(t.alice.email);
		const res = await api("/mailbox/uploads", alice, {
			method: "POST",
			headers: { "Content-Type": "text/plain", "X-Filename": "draft.txt" },
			body: "never sent",
		});
		const { id } = (await res.json()) as { id: string };
		expect(await purgeAbandonedUploads(env, { now: () => Date.now() + 3600_000 })).toBe(0);
		expect(await purgeAbandonedUploads(env, { now: () => Date.now() + 2 * DAY })).toBeGreaterThanOrEqual(1);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM uploads WHERE id = ?").bind(id).first("n")).toBe(0);
		expect(await env.MAIL.head(`c/${t.customerId}/u/${id}`)).toBeNull();
	});
});
