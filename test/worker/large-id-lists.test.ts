// Id lists longer than D1's 100 bound parameters per query: the bulk actions, sending with many
// attachments, the delivery batch, the redelivery lookup and the uploads sweep bind them as one
// JSON parameter (src/db/in-json.ts), so 150 ids work as 2 do.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { ComposeResult, MessagePage } from "../../src/api/types";
import { purgeAbandonedUploads } from "../../src/bodies/retention";
import { openDb } from "../../src/db/client";
import { loadPending } from "../../src/db/deliveries";
import { findRedeliveries } from "../../src/db/messages";
import { newId } from "../../src/lib/ids";
import { api, createTenant, seedHeldMessages, signIn } from "./helpers";

const N = 150;
const DAY = 86_400_000;
const wait = { timeout: 15_000, interval: 50 };
const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});
const count = async (sql: string, ...binds: unknown[]) =>
	(await env.DB.prepare(sql)
		.bind(...binds)
		.first<number>("n")) ?? 0;

/** `n` uploads of the user, file and row, as POST /mailbox/uploads leaves them; created `at`. */
async function seedUploads(customerId: string, userId: string, n: number, at = Date.now()): Promise<string[]> {
	const ids = Array.from({ length: n }, () => newId(at));
	await Promise.all(ids.map((id) => env.MAIL.put(`c/${customerId}/u/${id}`, `file ${id}`)));
	const insert = env.DB.prepare(
		"INSERT INTO uploads (id, customer_id, user_id, r2_key, filename, content_type, size, created_at) VALUES (?, ?, ?, ?, ?, 'text/plain', ?, ?)",
	);
	await env.DB.batch(ids.map((id, i) => insert.bind(id, customerId, userId, `c/${customerId}/u/${id}`, `f${i}.txt`, 5 + id.length, at)));
	return ids;
}

describe(`bulk actions on ${N} messages in one request`, () => {
	it("marks all read, trashes all and restores all", async () => {
		const t = await createTenant();
		const ids = await seedHeldMessages(t, t.alice, N);
		const alice = await signIn(t.alice.email);
		const patch = async (body: object) => {
			const res = await api("/mailbox/messages", alice, json("PATCH", { ids, ...body }));
			expect(res.status).toBe(200);
			return res.json();
		};
		const where = "FROM messages WHERE user_id = ?";

		expect(await patch({ seen: true })).toEqual({ updated: N });
		expect(await count(`SELECT count(*) AS n ${where} AND seen = 1`, t.alice.id)).toBe(N);
		expect(await patch({ folder: "trash" })).toEqual({ updated: N });
		expect(await count(`SELECT count(*) AS n ${where} AND folder = 'trash' AND trashed_from = 'inbox'`, t.alice.id)).toBe(N);
		expect(await patch({ folder: "restore" })).toEqual({ updated: N });
		expect(await count(`SELECT count(*) AS n ${where} AND folder = 'inbox' AND trashed_from IS NULL`, t.alice.id)).toBe(N);
		expect(await patch({ seen: false })).toEqual({ updated: N });
		const unread = (await (await api("/mailbox/messages?unread=1&limit=100", alice)).json()) as MessagePage;
		expect(unread.messages).toHaveLength(100);
	});

	it("still changes only the user's own messages", async () => {
		const t = await createTenant();
		const mine = await seedHeldMessages(t, t.alice, N - 10);
		const bobs = await seedHeldMessages(t, t.bob, 10);
		const res = await api("/mailbox/messages", await signIn(t.alice.email), json("PATCH", { ids: [...mine, ...bobs], folder: "trash" }));
		expect(await res.json()).toEqual({ updated: N - 10 });
		expect(await count("SELECT count(*) AS n FROM messages WHERE user_id = ? AND folder = 'inbox'", t.bob.id)).toBe(10);
	});
});

describe(`sending with ${N} attachments`, () => {
	// POST /mailbox/send caps recipients, not attachments: the message's size is the limit.
	it("is accepted, carries every file and spends every upload", async () => {
		const t = await createTenant();
		const uploadIds = await seedUploads(t.customerId, t.alice.id, N);
		const alice = await signIn(t.alice.email);
		const res = await api(
			"/mailbox/send",
			alice,
			json("POST", { to: [t.bob.email], cc: [], bcc: [], subject: "Many files", text: "all of them", attachments: uploadIds }),
		);
		expect(res.status).toBe(202);
		const { id } = (await res.json()) as ComposeResult;
		expect(await count("SELECT count(*) AS n FROM uploads WHERE user_id = ?", t.alice.id)).toBe(0);
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/u/` })).objects).toHaveLength(0);
		const raw = await (await api(`/mailbox/messages/${id}/raw`, alice)).text();
		expect(raw.match(/^Content-Disposition: attachment/gm)).toHaveLength(N);
		// Delivered to the colleague like any other message, before the test's storage goes.
		const bob = await signIn(t.bob.email);
		await vi.waitFor(
			async () =>
				expect(((await (await api("/mailbox/messages", bob)).json()) as MessagePage).messages.map((m) => m.subject)).toEqual([
					"Many files",
				]),
			wait,
		);
	});

	it("is refused when one of them is someone else's", async () => {
		const t = await createTenant();
		const uploadIds = await seedUploads(t.customerId, t.alice.id, N - 1);
		const [bobs] = await seedUploads(t.customerId, t.bob.id, 1);
		const res = await api(
			"/mailbox/send",
			await signIn(t.alice.email),
			json("POST", { to: [t.bob.email], cc: [], bcc: [], subject: "", text: "", attachments: [...uploadIds, bobs] }),
		);
		expect(res.status).toBe(422);
		expect(((await res.json()) as { detail: string }).detail).toMatch(/attachment is missing/);
		expect(await count("SELECT count(*) AS n FROM uploads WHERE customer_id = ?", t.customerId)).toBe(N);
	});
});

describe(`${N} ids at once in the engine`, () => {
	it("loadPending returns every message of a large delivery batch that is still to deliver", async () => {
		const t = await createTenant();
		const ids = await seedHeldMessages(t, t.alice, N + 10);
		const done = ids.slice(0, 10);
		await env.DB.prepare("UPDATE messages SET status = 'delivered' WHERE id IN (SELECT value FROM json_each(?))")
			.bind(JSON.stringify(done))
			.run();
		const pending = await loadPending(openDb(env.DB), ids);
		expect(pending).toHaveLength(N);
		expect(new Set(pending.map((m) => m.id))).toEqual(new Set(ids.slice(10)));
	});

	it("findRedeliveries finds the copies for every recipient of one domain", async () => {
		const t = await createTenant();
		const ids = await seedHeldMessages(t, t.alice, N);
		const sha256 = crypto.randomUUID();
		// The same bytes for N different recipients of the domain, as a group's fan-out stores them.
		await env.DB.prepare(
			"UPDATE messages SET sha256 = ?, envelope_to = 'm' || substr(id, -6) || ? WHERE id IN (SELECT value FROM json_each(?))",
		)
			.bind(sha256, `@${t.domain}`, JSON.stringify(ids))
			.run();
		const rows = await env.DB.prepare("SELECT id, envelope_to FROM messages WHERE domain_id = ?")
			.bind(t.domainId)
			.all<{ id: string; envelope_to: string }>();
		const keys = rows.results.map((r) => ({ domainId: t.domainId, envelopeTo: r.envelope_to }));
		const found = await findRedeliveries(openDb(env.DB), sha256, [...keys, { domainId: t.domainId, envelopeTo: `nobody@${t.domain}` }]);
		expect(new Set(found.map((f) => f.id))).toEqual(new Set(ids));
		expect(await findRedeliveries(openDb(env.DB), "other bytes", keys)).toEqual([]);
	});

	it("keeps the redelivery lookup on messages_redelivery_uq with the recipients as JSON", async () => {
		const plan = await env.DB.prepare(
			"EXPLAIN QUERY PLAN SELECT id FROM messages WHERE domain_id = ? AND envelope_to IN (SELECT value FROM json_each(?)) AND sha256 = ? AND direction = 'in'",
		)
			.bind("d", "[]", "s")
			.all();
		const detail = plan.results.map((r) => String(r.detail)).join(" | ");
		expect(detail).toMatch(
			/USING (COVERING )?INDEX messages_redelivery_uq \(domain_id=\? AND envelope_to=\? AND sha256=\? AND direction=\?\)/,
		);
	});

	it(`purgeAbandonedUploads removes ${N} old uploads in one sweep`, async () => {
		const t = await createTenant();
		await seedUploads(t.customerId, t.alice.id, N, Date.now() - 2 * DAY);
		expect(await purgeAbandonedUploads(env, { now: () => Date.now() })).toBeGreaterThanOrEqual(N);
		expect(await count("SELECT count(*) AS n FROM uploads WHERE customer_id = ?", t.customerId)).toBe(0);
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/u/` })).objects).toHaveLength(0);
	});
});
