// What the views over many domains read (issue #11): each domain's object keeps its counts and
// publishes a summary to D1, without a write per message; the partner and operator pages read
// those summaries, never the messages, in one query whatever the number of customers.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { OperatorPartnerList, PartnerCustomerList } from "../../src/api/types";
import { openDb } from "../../src/db/client";
import { partnerDomains } from "../../src/db/domain-summaries";
import type { DomainRelay } from "../../src/domain/domain-relay";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { configure, idOf, relayOf, scriptedServer, setClock, statusOf } from "./downstream";
import { api, createTenant, deliver, PASSWORD, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const MINUTE = 60_000;
const wait = { timeout: 15_000, interval: 50 };

interface SummaryRow {
	health: string;
	waiting: number;
	inflight: number;
	deferred: number;
	delivered: number;
	bounced: number;
	updated_at: number;
}

async function summaryOf(t: Tenant): Promise<SummaryRow | null> {
	return env.DB.prepare("SELECT * FROM domain_summaries WHERE domain_id = ?").bind(t.domainId).first<SummaryRow>();
}

async function account(role: "partner_admin" | "operator", partnerId: string | null): Promise<string> {
	const email = `${role}-${crypto.randomUUID().slice(0, 8)}@ops.test`;
	await env.DB.prepare("INSERT INTO users (id, partner_id, email, role, password_hash) VALUES (?, ?, ?, ?, ?)")
		.bind(newId(), partnerId, email, role, await hashPassword(PASSWORD, paramsFor(env)))
		.run();
	return signIn(email);
}

describe("the summary a domain's object publishes", () => {
	it("follows the spool at most a minute late, without a D1 write per message", async () => {
		const t = await createTenant();
		const start = Date.now();
		await setClock(t, start);
		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		// Mail held where there was none: a change of state, written at once.
		expect(await summaryOf(t)).toMatchObject({ waiting: 1, inflight: 0, updated_at: start });

		for (let i = 0; i < 5; i++) await deliver("x@example.org", t.alice.email, simpleMessage(`more ${i}`));
		// Same state, counts moved: written by the alarm a minute after the last write, not now.
		expect(await summaryOf(t)).toMatchObject({ waiting: 1, updated_at: start });
		const alarm = await runInDurableObject(relayOf(t), (_: DomainRelay, state) => state.storage.getAlarm());
		expect(alarm).toBe(start + MINUTE);

		await setClock(t, start + MINUTE);
		await runDurableObjectAlarm(relayOf(t));
		expect(await summaryOf(t)).toMatchObject({ waiting: 6, updated_at: start + MINUTE });
		// Nothing changed since: the next alarm writes nothing.
		await setClock(t, start + 3 * MINUTE);
		await runDurableObjectAlarm(relayOf(t));
		expect((await summaryOf(t))?.updated_at).toBe(start + MINUTE);
	});

	it("counts delivered, deferred and bounced mail as the object sees it leave, for the admin page too", async () => {
		const t = await createTenant();
		const server = await scriptedServer({ rcpt: { [t.bob.email]: "550 5.1.1 <bob>: user unknown" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		await deliver("x@example.org", t.alice.email, simpleMessage("one"));
		await deliver("x@example.org", t.alice.email, simpleMessage("two"));
		await deliver("x@example.org", t.bob.email, simpleMessage("refused"));
		await vi.waitFor(async () => expect((await statusOf(await idOf(t.bob.email, "refused")))?.status).toBe("bounced"), wait);
		await vi.waitFor(async () => expect((await statusOf(await idOf(t.alice.email, "two")))?.status).toBe("delivered"), wait);
		await vi.waitFor(async () => expect(await summaryOf(t)).toMatchObject({ waiting: 0, inflight: 0, delivered: 2, bounced: 1 }), wait);

		const { domains } = (await (await api("/admin/domains", await signInAdmin(t))).json()) as {
			domains: { counts: Record<string, number>; storage: { bytes: number; nearLimit: boolean } }[];
		};
		expect(domains[0]?.counts).toEqual({ spooled: 0, deferred: 0, delivered: 2, bounced: 1 });
		expect(domains[0]?.storage.bytes).toBeGreaterThan(0);
		expect(domains[0]?.storage.nearLimit).toBe(false);
	});

	it("starts an object from before the counts at what D1 recorded for its domain", async () => {
		const t = await createTenant();
		const now = Date.now();
		for (const [i, status] of ["delivered", "delivered", "delivered", "bounced"].entries())
			await env.DB.prepare(
				`INSERT INTO messages (id, customer_id, domain_id, envelope_from, envelope_to, received_at, size, sha256, status, updated_at)
				 VALUES (?, ?, ?, 'x@example.org', ?, ?, 10, ?, ?, ?)`,
			)
				.bind(newId(), t.customerId, t.domainId, t.alice.email, now + i, crypto.randomUUID(), status, now)
				.run();
		// An object as the previous version left it: it knows its domain, it never counted.
		await runInDurableObject(relayOf(t), (_: DomainRelay, state) => {
			state.storage.sql.exec(
				"INSERT INTO meta (key, value) VALUES ('domain', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
				t.domain,
			);
			state.storage.sql.exec("DELETE FROM meta WHERE key = 'talliesFrom'");
			state.storage.sql.exec("UPDATE spool_counts SET n = 0 WHERE state IN ('delivered', 'bounced')");
		});
		// Its next start (a new instance on the same storage) seeds the counts once.
		const restarted = env.DOMAIN.get(env.DOMAIN.idFromName(t.domain));
		await runInDurableObject(restarted, async (instance: DomainRelay, state) => {
			const again = new (instance.constructor as new (s: DurableObjectState, e: Env) => DomainRelay)(state, env);
			await vi.waitFor(async () => {
				const status = await again.status();
				expect({ delivered: status.delivered, bounced: status.bounced }).toEqual({ delivered: 3, bounced: 1 });
			}, wait);
		});
	});
});

describe("the partner and operator pages at scale", () => {
	it("list 150 customers with 200 domains from the summaries, reading no message", async () => {
		const partnerId = newId();
		await env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, 'Big channel')").bind(partnerId).run();
		const customers = Array.from({ length: 150 }, (_, i) => ({ id: newId(), name: `C${String(i).padStart(3, "0")}` }));
		const domains = customers.flatMap((c, i) =>
			Array.from({ length: i < 50 ? 2 : 1 }, (_, j) => ({
				id: newId(),
				customerId: c.id,
				name: `d${j}-${c.name.toLowerCase()}-${crypto.randomUUID().slice(0, 6)}.test`,
			})),
		);
		const json = (rows: unknown[]) => JSON.stringify(rows);
		await env.DB.batch([
			env.DB.prepare(
				"INSERT INTO customers (id, partner_id, name) SELECT json_extract(value, '$.id'), ?1, json_extract(value, '$.name') FROM json_each(?2)",
			).bind(partnerId, json(customers)),
			env.DB.prepare(
				`INSERT INTO domains (id, customer_id, name, display_name, delivery_host, delivery_port)
				 SELECT json_extract(value, '$.id'), json_extract(value, '$.customerId'), json_extract(value, '$.name'), json_extract(value, '$.name'), 'mx.example', 25
				 FROM json_each(?1)`,
			).bind(json(domains)),
			// As the objects would have published: every fourth domain down with 7 held.
			env.DB.prepare(
				`INSERT INTO domain_summaries (domain_id, customer_id, health, health_since, waiting, inflight, updated_at)
				 SELECT json_extract(value, '$.id'), json_extract(value, '$.customerId'),
					CASE WHEN key % 4 = 0 THEN 'down' ELSE 'up' END, 0, CASE WHEN key % 4 = 0 THEN 7 ELSE 0 END, 0, 1
				 FROM json_each(?1)`,
			).bind(json(domains)),
		]);

		const query = partnerDomains(openDb(env.DB), partnerId).toSQL();
		const read = async () => {
			const { results, meta } = await env.DB.prepare(query.sql)
				.bind(...query.params)
				.all();
			expect(results).toHaveLength(200);
			return meta.rows_read;
		};
		const before = await read();
		// Mail these domains received: the page must not read it.
		await env.DB.prepare(
			`WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < 1999)
			 INSERT INTO messages (id, customer_id, domain_id, envelope_from, envelope_to, received_at, size, sha256, status, updated_at)
			 SELECT printf('scale-%s-%05d', ?2, i), json_extract(?1, '$[' || (i % 200) || '].customerId'), json_extract(?1, '$[' || (i % 200) || '].id'),
				'x@example.org', 'u@example.org', i, 10, printf('%064d', i), 'spooled', i
			 FROM seq`,
		)
			.bind(json(domains), partnerId)
			.run();
		// Customers, domains and summaries through their indexes: the same rows with 2,000 messages as with none.
		expect(await read()).toBe(before);
		expect(before).toBeLessThan(5 * 200);

		const cookie = await account("partner_admin", partnerId);
		const list = (await (await api("/partner/customers", cookie)).json()) as PartnerCustomerList;
		expect(list.customers).toHaveLength(150);
		const down = domains.filter((_, k) => k % 4 === 0).length;
		expect(list.customers.reduce((s, c) => s + c.domainsDown, 0)).toBe(down);
		expect(list.customers.reduce((s, c) => s + c.held, 0)).toBe(7 * down);
		expect(list.customers[0]).toMatchObject({ name: "C000", domains: [{ state: "down" }, { state: "up" }], domainsDown: 1, held: 7 });
		// An object near its 10 GB says so on the partner's page too.
		expect(list.customers.flatMap((c) => c.domains).filter((d) => d.storageNearLimit)).toEqual([]);
		await env.DB.prepare("UPDATE domain_summaries SET storage_bytes = ? WHERE domain_id = ?")
			.bind(9 * 1024 ** 3, domains[1]?.id)
			.run();
		const again = (await (await api("/partner/customers", cookie)).json()) as PartnerCustomerList;
		expect(
			again.customers
				.flatMap((c) => c.domains)
				.filter((d) => d.storageNearLimit)
				.map((d) => d.id),
		).toEqual([domains[1]?.id]);

		const ops = (await (await api("/operator/partners", await account("operator", null))).json()) as OperatorPartnerList;
		expect(ops.partners.find((p) => p.id === partnerId)).toEqual({
			id: partnerId,
			name: "Big channel",
			customers: 150,
			domains: 200,
			domainsDown: down,
			held: 7 * down,
		});
	});
});
