// Delivery reads each body from R2 only when its turn in the SMTP session comes: a batch of
// large messages holds one body at a time. The R2 binding is the real one with an instrument
// on it (test/worker/r2-instrument.ts) that asks the real SMTP sink, before every body is
// read, how many messages it has received; the bytes the sink got are compared exactly.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { BatchReport } from "../../src/domain/domain-relay";
import { systemClock } from "../../src/lib/clock";
import { deliverJob } from "../../src/queue/delivery";
import type { DeliveryJob } from "../../src/queue/messages";
import { traceHeader } from "../../src/relay/trace-header";
import type { Outcome } from "../../src/relay/types";
import { configure, idOf, scriptedServer } from "./downstream";
import { createTenant, deliver, simpleMessage } from "./helpers";
import { countingBucket } from "./r2-instrument";

const encoder = new TextEncoder();

interface Stored {
	id: string;
	key: string;
	raw: Uint8Array;
}

/** A tenant on hold (nothing goes out by itself) pointed at a fresh sink, with these messages spooled. */
async function spooled(bodies: Record<string, string>) {
	const t = await createTenant();
	const server = await scriptedServer();
	await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", held: 1 });
	const messages: Stored[] = [];
	for (const [subject, body] of Object.entries(bodies)) {
		const raw = encoder.encode(simpleMessage(subject, body, ["Content-Transfer-Encoding: 8bit"]));
		expect((await deliver("sender@example.org", t.alice.email, raw)).rejected).toBeNull();
		const id = await idOf(t.alice.email, subject);
		const key = (await env.DB.prepare("SELECT r2_key FROM messages WHERE id = ?").bind(id).first<string>("r2_key")) as string;
		messages.push({ id, key, raw });
	}
	const job: DeliveryJob = { kind: "deliver", domain: t.domain, batchId: crypto.randomUUID(), messageIds: messages.map((m) => m.id) };
	return { t, server, messages, job };
}

/** What the sink must have received for `m`: our trace header, then the stored bytes. */
async function expected(m: Stored, to: string): Promise<number[]> {
	const receivedAt = (await env.DB.prepare("SELECT received_at FROM messages WHERE id = ?")
		.bind(m.id)
		.first<number>("received_at")) as number;
	return [...encoder.encode(traceHeader(env.RELAY_HOSTNAME, m.id, to, receivedAt)), ...m.raw];
}

/**
 * The domain objects' binding with an instrument on report(): each call goes through to the
 * real object and its per-message outcomes are written down, as the object's delivery log
 * would keep them (these jobs carry a batch the object never dispatched, so it ignores them).
 */
function reports() {
	const outcomes = new Map<string, Outcome>();
	const namespace = new Proxy(env.DOMAIN, {
		get(target, prop) {
			if (prop !== "get") return Reflect.get(target, prop).bind?.(target) ?? Reflect.get(target, prop);
			return (id: DurableObjectId) => {
				const stub = target.get(id);
				return new Proxy(stub, {
					get(s, name) {
						if (name === "report")
							return (r: BatchReport) => {
								for (const { messageId, outcome } of r.results) outcomes.set(messageId, outcome);
								return s.report(r);
							};
						return Reflect.get(s, name);
					},
				});
			};
		},
	});
	return { namespace, outcomes };
}

const STATE = { delivered: "delivered", tempfail: "deferred", permfail: "failed" } as const;

/** What was reported for the message, and its status in D1. */
async function deliveryRow(seen: ReturnType<typeof reports>, id: string) {
	const outcome = seen.outcomes.get(id);
	const status = await env.DB.prepare("SELECT status FROM messages WHERE id = ?").bind(id).first<string>("status");
	return outcome
		? { state: STATE[outcome.kind], last_code: outcome.code, last_enhanced_code: outcome.enhanced, last_text: outcome.text, status }
		: null;
}

const bodies = {
	first: "A short one.\r\n",
	// About 1 MB, with lines the wire must dot-stuff.
	large: ".starts with a dot\r\n..two dots\r\n.\r\n".repeat(30_000),
	eightbit: "Grüße aus Köln, 8-bit on the wire.\r\n",
	last: "The last one.\r\n",
};

describe("a delivery batch", () => {
	it("reads each body only after the message before it was received, and delivers every byte exactly", async () => {
		const { t, server, messages, job } = await spooled(bodies);
		const seen = reports();
		const receivedBeforeRead: [string, number][] = [];
		const r2 = countingBucket(env.MAIL, async (key) => {
			receivedBeforeRead.push([key, (await server.messages()).length]);
		});
		await deliverJob(job, { ...env, MAIL: r2.bucket, DOMAIN: seen.namespace }, systemClock);

		// Body i is read when the sink holds exactly the i messages before it: after the one
		// before finished its DATA, before its own.
		expect(receivedBeforeRead).toEqual(messages.map((m, i) => [m.key, i]));
		expect(r2.gets.map((g) => g.key)).toEqual(messages.map((m) => m.key));
		expect(r2.gets.map((g) => g.bytes)).toEqual(messages.map((m) => m.raw.byteLength));
		const got = await server.messages();
		expect(got).toHaveLength(messages.length);
		for (const [i, m] of messages.entries()) {
			expect([...(got[i]?.raw ?? [])]).toEqual(await expected(m, t.alice.email));
			expect(got[i]?.to).toEqual([t.alice.email]);
			expect(await deliveryRow(seen, m.id)).toMatchObject({ state: "delivered", status: "delivered" });
		}
		expect(await server.connections()).toBe(1);
	});

	it("gives a body gone by the time of its DATA the outcome a missing body always had, and goes on", async () => {
		const { t, server, messages, job } = await spooled(bodies);
		const seen = reports();
		const victim = messages[1] as Stored;
		const r2 = countingBucket(env.MAIL, async (key) => {
			// Retention or a deleted customer, between the look before the session and the read.
			if (key === victim.key) await env.MAIL.delete(key);
		});
		await deliverJob(job, { ...env, MAIL: r2.bucket, DOMAIN: seen.namespace }, systemClock);

		expect(await deliveryRow(seen, victim.id)).toEqual({
			state: "failed",
			last_code: 0,
			last_enhanced_code: "5.3.0",
			last_text: "the stored message body is missing",
			status: "bounced",
		});
		const others = messages.filter((m) => m !== victim);
		const got = await server.messages();
		expect(got).toHaveLength(others.length);
		for (const [i, m] of others.entries()) expect([...(got[i]?.raw ?? [])]).toEqual(await expected(m, t.alice.email));
		// The message was never begun: no MAIL FROM for it.
		expect((await server.commands()).filter((c) => c === "MAIL")).toHaveLength(others.length);
	});

	it("settles a body missing before the session as before, without opening one for it", async () => {
		const { server, messages, job } = await spooled({ gone: "x\r\n" });
		const seen = reports();
		await env.MAIL.delete((messages[0] as Stored).key);
		await deliverJob(job, { ...env, DOMAIN: seen.namespace }, systemClock);
		expect(await deliveryRow(seen, (messages[0] as Stored).id)).toMatchObject({
			state: "failed",
			last_enhanced_code: "5.3.0",
			last_text: "the stored message body is missing",
		});
		expect(await server.connections()).toBe(0);
	});

	it("tempfails only the message whose body cannot be read, and delivers the rest in the same session", async () => {
		const { server, messages, job } = await spooled({ one: "1\r\n", two: "2\r\n", three: "3\r\n" });
		const seen = reports();
		const broken = messages[1] as Stored;
		const r2 = countingBucket(env.MAIL, async (key) => {
			if (key === broken.key) throw new Error("R2 is having a moment");
		});
		await deliverJob(job, { ...env, MAIL: r2.bucket, DOMAIN: seen.namespace }, systemClock);
		expect(await deliveryRow(seen, broken.id)).toEqual({
			state: "deferred",
			last_code: 0,
			last_enhanced_code: "4.3.0",
			last_text: "cannot read the message: R2 is having a moment",
			status: "deferred",
		});
		expect(await server.messages()).toHaveLength(2);
		expect(await server.connections()).toBe(1);
	});
});
