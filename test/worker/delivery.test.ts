// The delivery engine end to end inside workerd: the email handler, the domain's Durable
// Object, the delivery and outbound queues, and real SMTP servers scripted per test.
// Time moves through the object's clock and runDurableObjectAlarm, never through sleeps;
// vi.waitFor only waits for the queues to hand work over.
import {
	createExecutionContext,
	createMessageBatch,
	env,
	getQueueResult,
	runDurableObjectAlarm,
	runInDurableObject,
} from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { DomainRelay } from "../../src/domain/domain-relay";
import worker from "../../src/index";
import { systemClock } from "../../src/lib/clock";
import { deliverJob } from "../../src/queue/delivery";
import type { DeliveryJob } from "../../src/queue/messages";
import { configure, idOf, outbox, relayOf, scriptedServer, setClock, statusOf } from "./downstream";
import { api, createTenant, deliver, failingBatches, signIn, simpleMessage } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const wait = { timeout: 15_000, interval: 50 };

function message(subject: string, from = "sender@example.org") {
	return simpleMessage(subject, `Body of ${subject}.\r\n`, []).replace("From: Sender <sender@example.org>", `From: <${from}>`);
}

/** A tenant whose server answers every connection with a 421: down after one session. */
async function downTenant() {
	const t = await createTenant();
	const server = await scriptedServer({ greeting: "421 4.3.2 Service not available" });
	await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });
	return { t, server };
}

async function healthOf(t: Awaited<ReturnType<typeof createTenant>>) {
	return (await relayOf(t).status()).health.state;
}

describe("while the customer's server is up", () => {
	it("relays at once with our trace header, and the Emergency Inbox stays empty", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const raw = message("live");
		await deliver("sender@example.org", t.alice.email, raw);
		const id = await idOf(t.alice.email, "live");
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		const [got] = await server.messages();
		expect(got?.from).toBe("sender@example.org");
		expect(got?.to).toEqual([t.alice.email]);
		expect(got?.text).toMatch(new RegExp(`^Received: by [^\\r\\n]+ id ${id}\\r\\n\\tfor <${t.alice.email}>; [^\\r\\n]+\\r\\n`));
		expect(got?.text.endsWith(raw)).toBe(true);
		// Delivered normally: not the Emergency Inbox's business, and no body kept.
		const list = await (await api("/mailbox/messages", await signIn(t.alice.email))).json();
		expect(list).toEqual({ messages: [], nextCursor: null });
		expect(await env.DB.prepare("SELECT r2_key FROM messages WHERE id = ?").bind(id).first("r2_key")).toBeNull();
	});

	it("bounces a 5xx refusal once, with a failed DSN to the sender, and never retries it", async () => {
		const t = await createTenant();
		const server = await scriptedServer({ rcpt: { [t.alice.email]: "550 5.1.1 <alice>: user unknown" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const sender = `s${crypto.randomUUID().slice(0, 8)}@example.org`;
		await deliver(sender, t.alice.email, message("refused", sender));
		const id = await idOf(t.alice.email, "refused");
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(1), wait);
		const [dsn] = await outbox(sender);
		expect(dsn?.from).toBe("");
		expect(dsn?.raw).toMatch(/Action: failed/);
		expect(dsn?.raw).toMatch(/Status: 5\.1\.1/);
		expect(dsn?.raw).toMatch(/Diagnostic-Code: smtp; 550 5\.1\.1/);
		expect(dsn?.raw).toMatch(/Auto-Submitted: auto-replied/);
		expect((await statusOf(id))?.status).toBe("bounced");
		const connections = await server.connections();
		// Nothing left to do for it: the only alarm is the delivery log's 90-day clean-up.
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBeGreaterThan(Date.now() + 89 * DAY);
		await runDurableObjectAlarm(relayOf(t));
		expect(await server.connections()).toBe(connections);
		expect(await outbox(sender)).toHaveLength(1);
	});

	it("never sends a DSN to the null sender", async () => {
		const t = await createTenant();
		const server = await scriptedServer({ rcpt: { [t.alice.email]: "550 5.1.1 user unknown" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		await deliver("<>", t.alice.email, message("bounce of a bounce"));
		const id = await idOf(t.alice.email, "bounce of a bounce");
		await vi.waitFor(
			async () =>
				expect(await env.DB.prepare("SELECT skipped FROM notices WHERE message_id = ?").bind(id).first("skipped")).toMatch(
					/null reverse-path/i,
				),
			wait,
		);
	});
});

describe("an outage", () => {
	it("is detected on the first refused session; the message is held and shown to its owner", async () => {
		const { t } = await downTenant();
		await deliver("sender@example.org", t.alice.email, message("during outage"));
		const id = await idOf(t.alice.email, "during outage");
		await vi.waitFor(async () => expect(await healthOf(t)).toBe("down"), wait);
		await vi.waitFor(async () => expect((await statusOf(id))?.held_at).toEqual(expect.any(Number)), wait);
		// Mail arriving while down is held at once, without a delivery attempt.
		await deliver("sender@example.org", t.alice.email, message("second"));
		const second = await idOf(t.alice.email, "second");
		expect(await statusOf(second)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		const list = (await (await api("/mailbox/messages", await signIn(t.alice.email))).json()) as { messages: { subject: string }[] };
		expect(list.messages.map((m) => m.subject)).toEqual(["second", "during outage"]);
	});

	it("warns the sender at 4 h and 1 d, once each, and fails with 4.4.7 after 30 days", async () => {
		const { t } = await downTenant();
		const sender = `s${crypto.randomUUID().slice(0, 8)}@example.org`;
		const t0 = Date.now();
		await deliver(sender, t.alice.email, message("long outage", sender));
		const id = await idOf(t.alice.email, "long outage");
		await vi.waitFor(async () => expect(await healthOf(t)).toBe("down"), wait);

		await setClock(t, t0 + 4 * HOUR + 1000);
		await runDurableObjectAlarm(relayOf(t));
		await runDurableObjectAlarm(relayOf(t)); // a re-run alarm sends nothing more
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(1), wait);
		expect((await outbox(sender))[0]?.raw).toMatch(/Action: delayed[\s\S]*Will-Retry-Until: /);

		await setClock(t, t0 + DAY + 1000);
		await runDurableObjectAlarm(relayOf(t));
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(2), wait);

		await setClock(t, t0 + 30 * DAY + 1000);
		await runDurableObjectAlarm(relayOf(t));
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(3), wait);
		const failed = (await outbox(sender))[2]?.raw ?? "";
		expect(failed).toMatch(/Action: failed/);
		expect(failed).toMatch(/Status: 4\.4\.7/);
		expect((await statusOf(id))?.status).toBe("bounced");
		expect((await relayOf(t).status()).spooled).toBe(0);
		// Nothing left to warn about or retry.
		await runDurableObjectAlarm(relayOf(t));
		expect(await outbox(sender)).toHaveLength(3);
	});

	it("ends after the configured number of good probes, then drains every held message once, in arrival order", async () => {
		const { t, server } = await downTenant();
		await configure(t, { probes_to_up: 2, drain_connections: 2, messages_per_connection: 2 });
		const order = [
			[t.alice.email, "a1"],
			[t.bob.email, "b1"],
			[t.alice.email, "a2"],
			[t.alice.email, "a3"],
			[t.bob.email, "b2"],
		] as const;
		const raws = new Map<string, string>();
		for (const [to, subject] of order) {
			const raw = message(subject);
			raws.set(subject, raw);
			await deliver("sender@example.org", to, raw);
			if (subject === "a1") await vi.waitFor(async () => expect(await healthOf(t)).toBe("down"), wait);
		}
		await server.setScript({});
		const t0 = Date.now();
		await setClock(t, t0 + 60_000);
		await runDurableObjectAlarm(relayOf(t));
		expect(await healthOf(t)).toBe("down");
		await setClock(t, t0 + 120_000);
		await runDurableObjectAlarm(relayOf(t));
		expect(await healthOf(t)).toBe("up");

		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(5), wait);
		const got = await server.messages();
		const subjects = (rcpt: string) => got.filter((m) => m.to[0] === rcpt).map((m) => /Subject: (\w+)/.exec(m.text)?.[1]);
		expect(subjects(t.alice.email)).toEqual(["a1", "a2", "a3"]);
		expect(subjects(t.bob.email)).toEqual(["b1", "b2"]);
		for (const m of got) {
			const subject = /Subject: (\w+)/.exec(m.text)?.[1] as string;
			expect(m.text.endsWith(raws.get(subject) as string), subject).toBe(true);
			expect(m.from).toBe("sender@example.org");
		}
		for (const [to, subject] of order)
			expect(await statusOf(await idOf(to, subject))).toEqual({ status: "delivered", held_at: expect.any(Number) });
		// Held mail stays readable in the Emergency Inbox, marked delivered.
		const list = (await (await api("/mailbox/messages", await signIn(t.alice.email))).json()) as { messages: { status: string }[] };
		expect(list.messages.map((m) => m.status)).toEqual(["delivered", "delivered", "delivered"]);

		// Re-running the alarm and redelivering every job sends nothing twice.
		await runDurableObjectAlarm(relayOf(t));
		const ids = await Promise.all(order.map(([to, subject]) => idOf(to, subject)));
		const job: DeliveryJob = { kind: "deliver", domain: t.domain, batchId: "replayed", messageIds: ids };
		const batch = createMessageBatch("ei-delivery", [{ id: "m1", timestamp: new Date(), attempts: 2, body: job }]);
		const ctx = createExecutionContext();
		await worker.queue(batch, env);
		expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m1"]);
		expect(await server.messages()).toHaveLength(5);
	});

	it("is ended at once by an admin's retry when the server answers", async () => {
		const { t, server } = await downTenant();
		await deliver("sender@example.org", t.alice.email, message("manual"));
		await vi.waitFor(async () => expect(await healthOf(t)).toBe("down"), wait);
		await server.setScript({});
		const probe = await relayOf(t).retryNow();
		expect(probe.kind).toBe("delivered");
		expect(await healthOf(t)).toBe("up");
		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(1), wait);
	});
});

describe("a maintenance hold", () => {
	it("spools everything and delivers nothing until released", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", held: 1 });
		await deliver("sender@example.org", t.alice.email, message("held for maintenance"));
		const id = await idOf(t.alice.email, "held for maintenance");
		expect(await statusOf(id)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect(await server.connections()).toBe(0);
		await configure(t, { held: 0 });
		await vi.waitFor(async () => expect((await statusOf(id))?.status).toBe("delivered"), wait);
		expect(await server.messages()).toHaveLength(1);
	});
});

describe("a crash between the server's 250 and our record of it", () => {
	it("resends the identical bytes once (the documented at-least-once window), never loses the message", async () => {
		const t = await createTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", held: 1 });
		await deliver("sender@example.org", t.alice.email, message("crash"));
		const id = await idOf(t.alice.email, "crash");
		const crashingDb = failingBatches("worker evicted");
		const job: DeliveryJob = { kind: "deliver", domain: t.domain, batchId: "crashed", messageIds: [id] };
		await expect(deliverJob(job, { ...env, DB: crashingDb }, systemClock)).rejects.toThrow("worker evicted");
		expect(await server.messages()).toHaveLength(1);
		expect((await statusOf(id))?.status).toBe("spooled");
		// The queue redelivers the job: the message was not recorded, so it goes again.
		await deliverJob(job, env, systemClock);
		const copies = await server.messages();
		expect(copies).toHaveLength(2);
		expect(copies[1]?.text).toBe(copies[0]?.text);
		expect((await statusOf(id))?.status).toBe("delivered");
		// Recorded now: a third run sends nothing.
		await deliverJob(job, env, systemClock);
		expect(await server.messages()).toHaveLength(2);
	});
});
