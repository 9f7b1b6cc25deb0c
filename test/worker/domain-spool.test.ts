// The domain object's spool at scale and under interleaving: what it marks held in D1, and
// that each call reads only what is due, whatever the size of the queue.
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { DomainRelay } from "../../src/domain/domain-relay";
import { newId } from "../../src/lib/ids";
import { configure, relayOf, statusOf } from "./downstream";
import { createTenant, type Tenant } from "./helpers";

/** The parts of the object a test reaches past its RPC surface. */
type Inside = { env: Env; ctx: DurableObjectState };

/** A message stored in D1 as ingest leaves it (`received`), not yet handed to the object. */
async function storedMessage(t: Tenant): Promise<string> {
	const id = newId();
	const now = Date.now();
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, updated_at)
		 VALUES (?, ?, ?, ?, 'x@example.org', ?, 'spool test', ?, 10, ?, ?, ?)`,
	)
		.bind(id, t.customerId, t.domainId, t.alice.id, t.alice.email, now, crypto.randomUUID(), `c/${t.customerId}/m/${id}.eml`, now)
		.run();
	return id;
}

describe("holding mail during an outage or a hold", () => {
	it("marks held exactly the messages it mirrored to D1, not one accepted while D1 was awaited", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const first = await storedMessage(t);
		const late = await storedMessage(t);
		await runInDurableObject(relayOf(t), async (instance: DomainRelay) => {
			const inside = instance as unknown as Inside;
			const realEnv = inside.env;
			let arrived = false;
			// The late message reaches the spool while the first one's held_at is being written.
			const db = new Proxy(env.DB, {
				get(target, prop) {
					if (prop === "prepare")
						return (query: string) => {
							if (!arrived && /^update "messages"/i.test(query)) {
								arrived = true;
								inside.ctx.storage.sql.exec(
									"INSERT INTO spool (message_id, recipient, received_at, state, next_attempt_at) VALUES (?, ?, ?, 'waiting', 0)",
									late,
									t.alice.email,
									Date.now(),
								);
							}
							return target.prepare(query);
						};
					const value = Reflect.get(target, prop);
					return typeof value === "function" ? value.bind(target) : value;
				},
			});
			inside.env = { ...realEnv, DB: db };
			try {
				await instance.acceptMany([{ id: first, receivedAt: Date.now(), recipient: t.alice.email }], t.domain);
			} finally {
				inside.env = realEnv;
			}
			expect(arrived).toBe(true);
		});
		// Any later pass of the object (here an admin's change) holds what is not held yet.
		await relayOf(t).configChanged();
		expect(await statusOf(first)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect(await statusOf(late)).toEqual({ status: "spooled", held_at: expect.any(Number) });
		expect((await relayOf(t).status()).spooled).toBe(2);
	});
});
