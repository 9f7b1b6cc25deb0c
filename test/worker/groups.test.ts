// Groups: the admin API's rules and denials, and mail to a group address — one copy in each
// enabled member's Emergency Inbox, one copy per member downstream, never two for a member
// reached both directly and through the group, nothing new on a redelivery.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { GroupDetail, GroupPage } from "../../src/api/directory-types";
import { newId } from "../../src/lib/ids";
import { configure, relayOf, scriptedServer } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});

async function createGroup(admin: string, body: unknown) {
	const res = await api("/admin/groups", admin, json("POST", body));
	return { status: res.status, body: (await res.json()) as GroupDetail & { detail?: string } };
}

/** A tenant whose admin made team@ with alice and bob through the API. */
async function teamTenant(options: Parameters<typeof createTenant>[0] = {}) {
	const t = await createTenant(options);
	const admin = await signInAdmin(t);
	const { status, body } = await createGroup(admin, { address: `Team@${t.domain}`, name: "Team", members: [t.alice.id, t.bob.id] });
	expect(status).toBe(201);
	return { t, admin, group: body, team: `team@${t.domain}` };
}

async function subjects(email: string): Promise<string[]> {
	const res = await api("/mailbox/messages", await signIn(email));
	expect(res.status).toBe(200);
	return ((await res.json()) as { messages: { subject: string }[] }).messages.map((m) => m.subject);
}

async function rowsFor(t: Tenant, subject: string) {
	const rows = await env.DB.prepare(
		"SELECT m.envelope_to, m.user_id, m.domain_id FROM messages m WHERE m.customer_id = ? AND m.subject = ? ORDER BY m.envelope_to",
	)
		.bind(t.customerId, subject)
		.all<{ envelope_to: string; user_id: string | null; domain_id: string }>();
	return rows.results;
}

async function addUser(t: Tenant, email: string, customerId = t.customerId): Promise<string> {
	const id = newId();
	await env.DB.prepare("INSERT INTO users (id, customer_id, email, display_name) VALUES (?, ?, ?, 'Carol')")
		.bind(id, customerId, email)
		.run();
	return id;
}

describe("groups API", () => {
	it("creates a group on the company's domain with its members, lists it with a count, and audits it", async () => {
		const { t, admin, group } = await teamTenant();
		expect(group).toEqual({
			id: expect.any(String),
			address: `team@${t.domain}`,
			name: "Team",
			members: [
				{ id: t.alice.id, email: t.alice.email, displayName: "Alice", disabled: false },
				{ id: t.bob.id, email: t.bob.email, displayName: "Bob", disabled: false },
			],
		});
		const list = (await (await api("/admin/groups", admin)).json()) as GroupPage;
		expect(list).toEqual({ groups: [{ id: group.id, address: `team@${t.domain}`, name: "Team", memberCount: 2 }], nextCursor: null });
		expect(await (await api(`/admin/groups/${group.id}`, admin)).json()).toEqual(group);
		const events = (await (await api("/admin/events?kind=group.", admin)).json()) as { events: { kind: string; detail: unknown }[] };
		expect(events.events.map((e) => [e.kind, e.detail])).toEqual([
			["group.created", { address: `team@${t.domain}`, name: "Team", members: 2 }],
		]);
	});

	it("refuses an address off the company's domains, one already taken, a +tag, and members of another company", async () => {
		const { t, admin } = await teamTenant();
		const other = await createTenant();
		const cases: [unknown, number, RegExp][] = [
			[{ address: `sales@${other.domain}`, members: [] }, 422, /^address must be on one of your company's domains/],
			[{ address: "not an address", members: [] }, 422, /^address must be an email address/],
			[{ address: `sales+x@${t.domain}`, members: [] }, 422, /^address must not have a \+tag/],
			[{ address: t.alice.email, members: [] }, 409, /already a user's address/],
			[{ address: `TEAM@${t.domain}`, members: [] }, 409, /already another group/],
			[{ address: `sales@${t.domain}`, members: [other.alice.id] }, 422, /^members: .* is not a user of your company/],
			[{ address: `sales@${t.domain}`, members: ["nobody"] }, 422, /^members: "nobody" is not a user of your company/],
			[{ address: `sales@${t.domain}`, members: "alice" }, 422, /^members must be a list/],
			[{ address: `sales@${t.domain}`, name: 5, members: [] }, 422, /^name must be text/],
		];
		for (const [body, status, detail] of cases) {
			const res = await createGroup(admin, body);
			expect([JSON.stringify(body), res.status], res.body.detail).toEqual([JSON.stringify(body), status]);
			expect(res.body.detail).toMatch(detail);
		}
		const list = (await (await api("/admin/groups", admin)).json()) as GroupPage;
		expect(list.groups.map((g) => g.address)).toEqual([`team@${t.domain}`]);
		// An alias's address is taken too.
		await env.DB.prepare("INSERT INTO aliases (id, customer_id, user_id, address) VALUES (?, ?, ?, ?)")
			.bind(newId(), t.customerId, t.alice.id, `sales@${t.domain}`)
			.run();
		expect((await createGroup(admin, { address: `sales@${t.domain}`, members: [] })).body.detail).toMatch(/already an alias/);
	});

	it("renames, replaces the members, deletes, and audits each change", async () => {
		const { t, admin, group } = await teamTenant();
		const res = await api(`/admin/groups/${group.id}`, admin, json("PATCH", { name: "Support", members: [t.bob.id] }));
		expect(res.status).toBe(200);
		const updated = (await res.json()) as GroupDetail;
		expect(updated.name).toBe("Support");
		expect(updated.members.map((m) => m.email)).toEqual([t.bob.email]);
		const bad = await api(`/admin/groups/${group.id}`, admin, json("PATCH", { address: `other@${t.domain}` }));
		expect(bad.status).toBe(422);
		expect(((await bad.json()) as { detail: string }).detail).toMatch(/^address cannot change/);

		expect((await api(`/admin/groups/${group.id}`, admin, { method: "DELETE" })).status).toBe(204);
		expect((await api(`/admin/groups/${group.id}`, admin)).status).toBe(404);
		const members = await env.DB.prepare("SELECT count(*) AS n FROM group_members WHERE group_id = ?").bind(group.id).first("n");
		expect(members).toBe(0);
		const events = (await (await api("/admin/events?kind=group.", admin)).json()) as { events: { kind: string; detail: unknown }[] };
		expect(events.events.map((e) => [e.kind, e.detail])).toEqual([
			["group.deleted", { address: `team@${t.domain}`, name: "Support" }],
			["group.updated", { address: `team@${t.domain}`, name: "Support", added: 0, removed: 1 }],
			["group.created", { address: `team@${t.domain}`, name: "Team", members: 2 }],
		]);
		// The address is free again: mail to it is an unknown recipient.
		expect((await deliver("x@example.org", `team@${t.domain}`, simpleMessage("after delete"))).rejected).toMatch(/^550 5\.1\.1 /);
	});

	it("answers another company's admin 404 and users 403, and changes nothing for them", async () => {
		const { t, admin, group } = await teamTenant();
		const other = await createTenant();
		const otherAdmin = await signInAdmin(other);
		const user = await signIn(t.alice.email);
		for (const [method, body] of [
			["GET", undefined],
			["PATCH", { members: [] }],
			["DELETE", undefined],
		] as const) {
			const init = body ? json(method, body) : { method };
			expect((await api(`/admin/groups/${group.id}`, otherAdmin, init)).status).toBe(404);
			expect((await api(`/admin/groups/${group.id}`, user, init)).status).toBe(403);
		}
		expect((await api("/admin/groups", user)).status).toBe(403);
		expect((await api("/admin/groups", "")).status).toBe(401);
		expect(((await (await api("/admin/groups", otherAdmin)).json()) as GroupPage).groups).toEqual([]);
		// The other company's admin cannot put our users in its group either.
		const theirs = await createGroup(otherAdmin, { address: `team@${other.domain}`, members: [t.alice.id] });
		expect(theirs.status).toBe(422);
		const still = (await (await api(`/admin/groups/${group.id}`, admin)).json()) as GroupDetail;
		expect(still.members).toHaveLength(2);
	});
});

/** The real D1 binding, except that the batch storing the copies (the only one this large) fails. */
function failingWrites(message: string): D1Database {
	return new Proxy(env.DB, {
		get(target, prop) {
			if (prop === "batch")
				return async (statements: D1PreparedStatement[]) =>
					// Two copies are two inserts in one batch; a single message is a lone insert, never a batch.
					statements.length >= 2 ? Promise.reject(new Error(message)) : target.batch(statements);
			const value = Reflect.get(target, prop);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

describe("mail to a group", () => {
	it("lands once in each member's Emergency Inbox while the domain's server is down, and in nobody else's", async () => {
		const { t, team } = await teamTenant();
		const carol = await addUser(t, `carol@${t.domain}`);
		expect(carol).toBeTruthy();
		expect((await deliver("x@example.org", team, simpleMessage("to the team"))).rejected).toBeNull();
		expect(await subjects(t.alice.email)).toEqual(["to the team"]);
		expect(await subjects(t.bob.email)).toEqual(["to the team"]);
		expect(await rowsFor(t, "to the team")).toEqual([
			{ envelope_to: t.alice.email, user_id: t.alice.id, domain_id: t.domainId },
			{ envelope_to: t.bob.email, user_id: t.bob.id, domain_id: t.domainId },
		]);
		const carolRows = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE user_id = ?").bind(carol).first("n");
		expect(carolRows).toBe(0);
		// Held: with no destination the domain's object keeps both copies, visible at once.
		const held = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE customer_id = ? AND held_at IS NOT NULL")
			.bind(t.customerId)
			.first("n");
		expect(held).toBe(2);
		// Plus-addressing and case reach the group like a mailbox.
		expect((await deliver("x@example.org", `TEAM+news@${t.domain}`, simpleMessage("tagged"))).rejected).toBeNull();
		expect(await subjects(t.bob.email)).toEqual(["tagged", "to the team"]);
	});

	it("gives a member addressed directly and through the group one copy, in either order", async () => {
		const { t, team } = await teamTenant();
		const first = simpleMessage("direct first");
		await deliver("x@example.org", t.alice.email, first);
		await deliver("x@example.org", team, first);
		const second = simpleMessage("group first");
		await deliver("x@example.org", team, second);
		await deliver("x@example.org", t.alice.email, second);
		expect(await subjects(t.alice.email)).toEqual(["group first", "direct first"]);
		expect(await subjects(t.bob.email)).toEqual(["group first", "direct first"]);
	});

	it("stores nothing new when the same message to the group is delivered again", async () => {
		const { t, team } = await teamTenant();
		const raw = simpleMessage("again");
		await deliver("x@example.org", team, raw);
		await deliver("x@example.org", team, raw);
		expect(await rowsFor(t, "again")).toHaveLength(2);
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/` })).objects).toHaveLength(2);
		expect(await subjects(t.alice.email)).toEqual(["again"]);
	});

	it("skips disabled members, and treats a group with none enabled as an unknown recipient", async () => {
		const { t, team } = await teamTenant();
		await env.DB.prepare("UPDATE users SET disabled_at = 1 WHERE id = ?").bind(t.bob.id).run();
		await deliver("x@example.org", team, simpleMessage("while bob is away"));
		expect(await rowsFor(t, "while bob is away")).toEqual([{ envelope_to: t.alice.email, user_id: t.alice.id, domain_id: t.domainId }]);
		await env.DB.prepare("UPDATE users SET disabled_at = 1 WHERE id = ?").bind(t.alice.id).run();
		const verdict = await deliver("x@example.org", team, simpleMessage("nobody home"));
		expect(verdict.rejected).toMatch(/^550 5\.1\.1 <team@/);
		expect(await rowsFor(t, "nobody home")).toEqual([]);
	});

	it("keeps a group with no enabled member under the domain's accept-all policy like any unknown address", async () => {
		const t = await createTenant({ unknownRecipients: "accept" });
		const admin = await signInAdmin(t);
		expect((await createGroup(admin, { address: `empty@${t.domain}`, members: [] })).status).toBe(201);
		expect((await deliver("x@example.org", `empty@${t.domain}`, simpleMessage("catch-all"))).rejected).toBeNull();
		expect(await rowsFor(t, "catch-all")).toEqual([{ envelope_to: `empty@${t.domain}`, user_id: null, domain_id: t.domainId }]);
	});

	it("stores the copy of a member on another of the company's domains under that domain, unless it is unverified", async () => {
		const { t, admin, group } = await teamTenant();
		const second = `t${crypto.randomUUID().slice(0, 8)}.test`;
		const unproven = `t${crypto.randomUUID().slice(0, 8)}.test`;
		const secondId = newId();
		await env.DB.batch([
			env.DB.prepare("INSERT INTO domains (id, customer_id, name, display_name, verified_at) VALUES (?, ?, ?, ?, 1)").bind(
				secondId,
				t.customerId,
				second,
				second,
			),
			env.DB.prepare("INSERT INTO domains (id, customer_id, name, display_name) VALUES (?, ?, ?, ?)").bind(
				newId(),
				t.customerId,
				unproven,
				unproven,
			),
		]);
		const carol = await addUser(t, `carol@${second}`);
		const dan = await addUser(t, `dan@${unproven}`);
		await api(`/admin/groups/${group.id}`, admin, json("PATCH", { members: [t.alice.id, carol, dan] }));
		await deliver("x@example.org", `team@${t.domain}`, simpleMessage("two domains"));
		expect(await rowsFor(t, "two domains")).toEqual([
			{ envelope_to: t.alice.email, user_id: t.alice.id, domain_id: t.domainId },
			{ envelope_to: `carol@${second}`, user_id: carol, domain_id: secondId },
		]);
		const status = await env.DOMAIN.get(env.DOMAIN.idFromName(second)).status();
		expect(status.spooled).toBe(1);
	});

	it("throws when D1 cannot record the copies, leaves nothing visible, and the retry stores each once", async () => {
		const { t, admin, group, team } = await teamTenant();
		const carol = `carol@${t.domain}`;
		await api(`/admin/groups/${group.id}`, admin, json("PATCH", { members: [t.alice.id, t.bob.id, await addUser(t, carol)] }));
		const raw = simpleMessage("retry the team");
		// Alice already has it directly: the attempt stores bob's and carol's copies only.
		await deliver("x@example.org", t.alice.email, raw);
		await expect(deliver("x@example.org", team, raw, { ...env, DB: failingWrites("D1 unavailable") })).rejects.toThrow("D1 unavailable");
		// Alice's direct copy's body is all there is: the bodies written for this attempt are gone.
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/` })).objects).toHaveLength(1);
		expect(await subjects(t.bob.email)).toEqual([]);
		expect((await deliver("x@example.org", team, raw)).rejected).toBeNull();
		expect(await subjects(t.alice.email)).toEqual(["retry the team"]);
		expect(await subjects(t.bob.email)).toEqual(["retry the team"]);
		expect((await rowsFor(t, "retry the team")).map((r) => r.envelope_to)).toEqual([t.alice.email, t.bob.email, carol]);
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/` })).objects).toHaveLength(3);
	});

	it("delivers one copy per member to the company's server, however often a member is addressed", async () => {
		const { t, team } = await teamTenant();
		const server = await scriptedServer();
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const raw = simpleMessage("downstream");
		await deliver("sender@example.org", t.alice.email, raw);
		await deliver("sender@example.org", team, raw);
		await deliver("sender@example.org", team, raw);
		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(2), wait);
		const got = await server.messages();
		expect(got.map((m) => m.to).sort()).toEqual([[t.alice.email], [t.bob.email]]);
		expect(got.every((m) => m.text.endsWith(raw))).toBe(true);
		await vi.waitFor(async () => {
			const states = await env.DB.prepare("SELECT status FROM messages WHERE customer_id = ?").bind(t.customerId).all<{ status: string }>();
			expect(states.results.map((r) => r.status)).toEqual(["delivered", "delivered"]);
		}, wait);
		// Nothing more arrives later.
		expect(await server.messages()).toHaveLength(2);
		// Redelivered once both are delivered: acknowledged, and neither sent, bounced nor counted again.
		expect((await deliver("sender@example.org", team, raw)).rejected).toBeNull();
		await relayOf(t).retryNow();
		const status = await relayOf(t).status();
		expect([status.spooled, status.inflight, status.delivered, status.bounced]).toEqual([0, 0, 2, 0]);
		const states = await env.DB.prepare("SELECT status FROM messages WHERE customer_id = ?").bind(t.customerId).all<{ status: string }>();
		expect(states.results.map((r) => r.status)).toEqual(["delivered", "delivered"]);
		expect(await server.messages()).toHaveLength(2);
		await server.stop();
	});

	it("reaches every member when a colleague writes to the group from the Emergency Inbox", async () => {
		const { t, team } = await teamTenant();
		const carol = `carol@${t.domain}`;
		await addUser(t, carol);
		await env.DB.prepare("UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = ?) WHERE email = ?")
			.bind(t.alice.id, carol)
			.run();
		const res = await api(
			"/mailbox/send",
			await signIn(carol),
			json("POST", { to: [team], cc: [], bcc: [], subject: "From carol", text: "Is the server back?", attachments: [] }),
		);
		expect(res.status).toBe(202);
		await vi.waitFor(async () => expect(await subjects(t.alice.email)).toEqual(["From carol"]), wait);
		await vi.waitFor(async () => expect(await subjects(t.bob.email)).toEqual(["From carol"]), wait);
	});
});
