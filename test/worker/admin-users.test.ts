// Company settings → Users through the API: listing and finding accounts, adding, editing,
// disabling and deleting them, aliases (mail to one lands in the user's Emergency Inbox) and
// CSV import with per-line errors, with the rules that keep a company administrable and the
// denials: another company's user is 404, a user 403, and a change of rights ends sessions.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MessagePage } from "../../src/api/types";
import type { AdminUser, DeleteResult, ImportResult, UserPage } from "../../src/api/user-types";
import { userPageQuery } from "../../src/db/admin-users";
import { openDb } from "../../src/db/client";
import { mailboxIndex } from "../../src/domain/mailbox-index";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { api, createTenant, deliver, PASSWORD, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const send = (method: string, body?: unknown): RequestInit =>
	body === undefined ? { method } : { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };

async function detailOf(res: Response): Promise<string> {
	return ((await res.json()) as { detail?: string }).detail ?? "";
}

async function events(customerId: string, kindPrefix: string) {
	const rows = await env.DB.prepare(
		"SELECT kind, actor_user_id AS actor, detail FROM events WHERE customer_id = ? AND kind LIKE ? ORDER BY id",
	)
		.bind(customerId, `${kindPrefix}%`)
		.all<{ kind: string; actor: string | null; detail: string }>();
	return rows.results.map((r) => ({ kind: r.kind, actor: r.actor, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** A partner admin whose partner manages the tenant: it acts on the company with ?customer=, and is nobody's "self" there. */
async function partnerFor(t: Tenant): Promise<string> {
	const partnerId = newId();
	const own = newId();
	const email = `partner-${crypto.randomUUID().slice(0, 8)}@msp.test`;
	await env.DB.batch([
		env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, 'MSP')").bind(partnerId),
		env.DB.prepare("INSERT INTO customers (id, partner_id, name) VALUES (?, ?, 'MSP itself')").bind(own, partnerId),
		env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(partnerId, t.customerId),
		env.DB.prepare(
			"INSERT INTO users (id, customer_id, partner_id, email, role, password_hash) VALUES (?, ?, ?, ?, 'partner_admin', ?)",
		).bind(newId(), own, partnerId, email, await hashPassword(PASSWORD, paramsFor(env))),
	]);
	return signIn(email);
}

const adminIdOf = async (t: Tenant) =>
	(await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(`admin@${t.domain}`).first<string>("id")) as string;

describe("GET /api/admin/users", () => {
	it("finds users by the start of the address or of a name, with aliases, groups, state and invitations", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const groupId = newId();
		await env.DB.batch([
			env.DB.prepare("UPDATE users SET display_name = 'Alice Liddell', alternate_email = 'alice@home.example' WHERE id = ?").bind(
				t.alice.id,
			),
			env.DB.prepare("UPDATE users SET display_name = 'Robert Tables', disabled_at = 1 WHERE id = ?").bind(t.bob.id),
			env.DB.prepare("INSERT INTO aliases (id, customer_id, user_id, address) VALUES (?, ?, ?, ?)").bind(
				newId(),
				t.customerId,
				t.alice.id,
				`al@${t.domain}`,
			),
			env.DB.prepare("INSERT INTO groups (id, customer_id, address, name) VALUES (?, ?, ?, 'Sales')").bind(
				groupId,
				t.customerId,
				`sales@${t.domain}`,
			),
			env.DB.prepare("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)").bind(groupId, t.alice.id),
			env.DB.prepare("INSERT INTO user_tokens (id, user_id, purpose, expires_at) VALUES (?, ?, 'set-password', ?)").bind(
				newId(),
				t.bob.id,
				Date.now() + 86_400_000,
			),
		]);
		const page = (await (await api("/admin/users", admin)).json()) as UserPage;
		expect(page.users.map((u) => u.email)).toEqual([`admin@${t.domain}`, t.alice.email, t.bob.email]);
		expect(page.nextCursor).toBeNull();
		expect(page.users[1]).toMatchObject({
			id: t.alice.id,
			displayName: "Alice Liddell",
			role: "user",
			disabled: false,
			alternateEmail: "alice@home.example",
			aliases: [{ address: `al@${t.domain}` }],
			groups: ["Sales"],
			passwordSet: true,
			invitePending: false,
		});
		expect(page.users[2]).toMatchObject({ disabled: true, invitePending: true, groups: [] });
		expect(JSON.stringify(page)).not.toContain("scrypt");

		const find = async (q: string) =>
			((await (await api(`/admin/users?q=${encodeURIComponent(q)}`, admin)).json()) as UserPage).users.map((u) => u.email);
		expect(await find("ALI")).toEqual([t.alice.email]);
		expect(await find("tables")).toEqual([t.bob.email]);
		expect(await find("rob")).toEqual([t.bob.email]);
		expect(await find("%")).toHaveLength(3);
		expect(await find("nobody")).toEqual([]);
	});

	it("pages by address, 100 at a time, and shows another company nothing", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const rows = Array.from({ length: 120 }, (_, i) => `u${String(i).padStart(3, "0")}@${t.domain}`);
		await env.DB.batch(
			rows.map((email) => env.DB.prepare("INSERT INTO users (id, customer_id, email) VALUES (?, ?, ?)").bind(newId(), t.customerId, email)),
		);
		const first = (await (await api("/admin/users", admin)).json()) as UserPage;
		expect(first.users).toHaveLength(100);
		expect(first.nextCursor).toBe(first.users.at(-1)?.email);
		const second = (await (await api(`/admin/users?cursor=${encodeURIComponent(first.nextCursor ?? "")}`, admin)).json()) as UserPage;
		expect(second.nextCursor).toBeNull();
		expect([...first.users, ...second.users].map((u) => u.email)).toEqual(
			[`admin@${t.domain}`, t.alice.email, t.bob.email, ...rows].sort(),
		);
		const other = await createTenant();
		const theirs = (await (await api("/admin/users?q=u0", await signInAdmin(other))).json()) as UserPage;
		expect(theirs.users).toEqual([]);
	});

	it("walks the company's address index in order, with or without a search, never sorting", async () => {
		const db = openDb(env.DB);
		for (const options of [
			{ q: "", cursor: null },
			{ q: "ali", cursor: null },
			{ q: "ali", cursor: "alice@x.test" },
		]) {
			const { sql, params } = userPageQuery(db, "customer", options).toSQL();
			const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
				.bind(...params)
				.all<{ detail: string }>();
			const text = plan.results.map((r) => r.detail).join("\n");
			expect(text, JSON.stringify(options)).toMatch(/SEARCH users USING INDEX users_customer_idx \(customer_id=\?/);
			expect(text).not.toMatch(/TEMP B-TREE|SCAN users/);
		}
	});
});

describe("adding a user", () => {
	it("creates an account at a company domain, with an alternate address and aliases, audited", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const res = await api(
			"/admin/users",
			admin,
			send("POST", {
				email: `Dan@${t.domain.toUpperCase()}`,
				displayName: "Dan",
				role: "customer_admin",
				alternateEmail: "dan@home.example",
				aliases: [`d@${t.domain}`],
			}),
		);
		expect(res.status).toBe(201);
		const dan = (await res.json()) as AdminUser;
		expect(dan).toMatchObject({
			email: `dan@${t.domain}`,
			displayName: "Dan",
			role: "customer_admin",
			alternateEmail: "dan@home.example",
			aliases: [{ address: `d@${t.domain}` }],
			passwordSet: false,
			invitePending: false,
		});
		expect((await events(t.customerId, "")).map((e) => e.kind)).toEqual(["auth.login", "user.created", "alias.added"]);
		// No password yet: the account cannot sign in until the welcome link is used.
		await expect(signIn(dan.email, "")).rejects.toThrow(/400/);
		await expect(signIn(dan.email, PASSWORD)).rejects.toThrow(/401/);
	});

	it("refuses addresses outside the company, an alternate inside it, bad roles and addresses in use", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		const cases: [unknown, number, RegExp][] = [
			[{ email: "dan@example.org" }, 422, /^email dan@example.org is not at one of your company's domains/],
			[{ email: "not an address" }, 422, /^email .* is not an email address/],
			[{ email: `dan@${t.domain}`, alternateEmail: `dan2@${t.domain}` }, 422, /^alternateEmail .*own domain/],
			[{ email: `dan@${t.domain}`, role: "operator" }, 422, /^role must be user or customer_admin/],
			[{ email: `dan@${t.domain}`, aliases: [`x@${other.domain}`] }, 422, /^aliases: x@.* is not at one of your company's domains/],
			[{ email: t.bob.email }, 409, /already names a user/],
			[{ email: `dan@${t.domain}`, aliases: [t.alice.email] }, 409, /already names a user/],
		];
		for (const [body, status, detail] of cases) {
			const res = await api("/admin/users", admin, send("POST", body));
			expect(res.status, JSON.stringify(body)).toBe(status);
			expect(await detailOf(res)).toMatch(detail);
		}
		expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(`dan@${t.domain}`).first("n")).toBe(0);
	});
});

describe("editing a user", () => {
	it("changes name, role and alternate address, and a change of role or disabling ends the user's sessions", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const bob = await signIn(t.bob.email);
		const rename = await api(
			`/admin/users/${t.bob.id}`,
			admin,
			send("PATCH", { displayName: "Robert", alternateEmail: "bob@home.example" }),
		);
		expect(rename.status).toBe(200);
		expect(await rename.json()).toMatchObject({ displayName: "Robert", alternateEmail: "bob@home.example", role: "user" });
		// A new name is not a change of rights: Bob stays signed in.
		expect((await api("/session", bob)).status).toBe(200);

		const promote = await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { role: "customer_admin" }));
		expect(((await promote.json()) as AdminUser).role).toBe("customer_admin");
		expect((await api("/session", bob)).status).toBe(401);
		const asAdmin = await signIn(t.bob.email);
		expect((await api("/admin/users", asAdmin)).status).toBe(200);

		const disable = await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { disabled: true }));
		expect(((await disable.json()) as AdminUser).disabled).toBe(true);
		expect((await api("/session", asAdmin)).status).toBe(401);
		await expect(signIn(t.bob.email)).rejects.toThrow(/401/);
		await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { disabled: false }));
		expect((await api("/session", await signIn(t.bob.email))).status).toBe(200);

		const log = await events(t.customerId, "user.");
		expect(log.map((e) => e.kind)).toEqual(["user.updated", "user.updated", "user.disabled", "user.enabled"]);
		expect(log[0]?.detail).toMatchObject({
			email: t.bob.email,
			changed: { displayName: { from: "Bob", to: "Robert" }, alternateEmail: { from: null, to: "bob@home.example" } },
			sessionsRevoked: false,
		});
		expect(log[1]?.detail).toMatchObject({ changed: { role: { from: "user", to: "customer_admin" } }, sessionsRevoked: true });
	});

	it("refuses an alternate address at the company's domain or an unknown role, naming the field", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const inside = await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { alternateEmail: `b@${t.domain}` }));
		expect(inside.status).toBe(422);
		expect(await detailOf(inside)).toMatch(/^alternateEmail b@.* is at your company's own domain/);
		const role = await api(`/admin/users/${t.bob.id}`, admin, send("PATCH", { role: "boss" }));
		expect(await detailOf(role)).toMatch(/^role must be user or customer_admin/);
		expect(await env.DB.prepare("SELECT alternate_email FROM users WHERE id = ?").bind(t.bob.id).first("alternate_email")).toBeNull();
	});

	it("never lets admins disable, demote or delete themselves, and keeps the last enabled admin", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const me = await adminIdOf(t);
		for (const [init, detail] of [
			[send("PATCH", { role: "user" }), /your own administrator role/],
			[send("PATCH", { disabled: true }), /disable your own account/],
			[send("DELETE"), /delete your own account/],
		] as const) {
			const res = await api(`/admin/users/${me}`, admin, init);
			expect(res.status).toBe(409);
			expect(await detailOf(res)).toMatch(detail);
		}
		// A partner acting for the company is nobody's self there, but still cannot remove its last admin.
		const partner = await partnerFor(t);
		const on = (path: string) => `${path}?customer=${t.customerId}`;
		for (const init of [send("PATCH", { role: "user" }), send("PATCH", { disabled: true }), send("DELETE")]) {
			const res = await api(on(`/admin/users/${me}`), partner, init);
			expect(res.status).toBe(409);
			expect(await detailOf(res)).toMatch(/only enabled administrator/);
		}
		expect((await api("/session", admin)).status).toBe(200);
		// With a second admin, the first may go.
		await api(on(`/admin/users/${t.alice.id}`), partner, send("PATCH", { role: "customer_admin" }));
		const demoted = await api(on(`/admin/users/${me}`), partner, send("PATCH", { role: "user" }));
		expect(demoted.status).toBe(200);
		expect((await api("/session", admin)).status).toBe(401);
		// Alice is now the only one.
		expect((await api(on(`/admin/users/${t.alice.id}`), partner, send("PATCH", { disabled: true }))).status).toBe(409);
	});

	it("answers 404 for another company's user, 403 for a user and 401 without a session, changing nothing", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		const alice = await signIn(t.alice.email);
		for (const [suffix, init] of [
			["", send("PATCH", { displayName: "x" })],
			["", send("DELETE")],
			["/aliases", send("POST", { address: `x@${other.domain}` })],
		] as const) {
			expect((await api(`/admin/users/${other.bob.id}${suffix}`, admin, init)).status).toBe(404);
			expect((await api(`/admin/users/${t.bob.id}${suffix}`, alice, init)).status).toBe(403);
			expect((await api(`/admin/users/${t.bob.id}${suffix}`, "", init)).status).toBe(401);
		}
		expect((await api(`/admin/users/${other.bob.id}`, admin)).status).toBe(404);
		expect(await env.DB.prepare("SELECT display_name FROM users WHERE id = ?").bind(other.bob.id).first("display_name")).toBe("Bob");
	});
});

describe("deleting a user", () => {
	it("removes the account, its aliases and sessions, and detaches its mail from any Emergency Inbox", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		await env.DB.prepare("INSERT INTO aliases (id, customer_id, user_id, address) VALUES (?, ?, ?, ?)")
			.bind(newId(), t.customerId, t.bob.id, `robert@${t.domain}`)
			.run();
		await deliver("x@example.org", t.bob.email, simpleMessage("held for bob"));
		// Held mail is in its owner's search index by the time it is acknowledged.
		expect(await mailboxIndex(env, t.bob.id).size()).toBe(1);
		const bob = await signIn(t.bob.email);
		const res = await api(`/admin/users/${t.bob.id}`, admin, send("DELETE"));
		expect(res.status).toBe(200);
		expect((await res.json()) as DeleteResult).toEqual({ id: t.bob.id, email: t.bob.email, detachedMessages: 1 });
		expect((await api("/session", bob)).status).toBe(401);
		expect((await api(`/admin/users/${t.bob.id}`, admin)).status).toBe(404);
		// The held message is still there, waiting for the company's server, in nobody's inbox.
		const held = await env.DB.prepare("SELECT user_id, status FROM messages WHERE envelope_to = ?").bind(t.bob.email).first();
		expect(held).toEqual({ user_id: null, status: "spooled" });
		// Nothing of bob's search index stays: not the entry, not its words.
		expect(await mailboxIndex(env, t.bob.id).size()).toBe(0);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM aliases WHERE user_id = ?").bind(t.bob.id).first("n")).toBe(0);
		expect((await deliver("x@example.org", `robert@${t.domain}`, simpleMessage("to the old alias"))).rejected).toMatch(/^550 5\.1\.1/);
		expect((await events(t.customerId, "user.deleted"))[0]?.detail).toEqual({ email: t.bob.email, role: "user", detachedMessages: 1 });
	});
});

describe("aliases", () => {
	it("an alias added through the API receives mail in the user's Emergency Inbox, until it is removed", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const alias = `Billing@${t.domain}`;
		expect((await deliver("x@example.org", alias, simpleMessage("before"))).rejected).toMatch(/^550 5\.1\.1/);
		const added = await api(`/admin/users/${t.alice.id}/aliases`, admin, send("POST", { address: alias }));
		expect(added.status).toBe(201);
		const { id, address } = (await added.json()) as { id: string; address: string };
		expect(address).toBe(`billing@${t.domain}`);

		expect((await deliver("x@example.org", address, simpleMessage("Invoice via the alias"))).rejected).toBeNull();
		const inbox = (await (await api("/mailbox/messages", await signIn(t.alice.email))).json()) as MessagePage;
		expect(inbox.messages.map((m) => m.subject)).toEqual(["Invoice via the alias"]);
		const list = (await (await api(`/admin/users?q=alice`, admin)).json()) as UserPage;
		expect(list.users[0]?.aliases).toEqual([{ id, address }]);

		expect((await api(`/admin/users/${t.alice.id}/aliases/${id}`, admin, send("DELETE"))).status).toBe(204);
		expect((await api(`/admin/users/${t.alice.id}/aliases/${id}`, admin, send("DELETE"))).status).toBe(404);
		expect((await deliver("x@example.org", address, simpleMessage("after"))).rejected).toMatch(/^550 5\.1\.1/);
		expect((await events(t.customerId, "alias.")).map((e) => [e.kind, e.detail.alias])).toEqual([
			["alias.added", address],
			["alias.removed", address],
		]);
	});

	it("refuses an address elsewhere or in use anywhere (a user, an alias, another company's alias)", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		await api(`/admin/users/${other.alice.id}/aliases`, await signInAdmin(other), send("POST", { address: `shared@${other.domain}` }));
		const cases: [string, number, RegExp][] = [
			[`x@${other.domain}`, 422, /not at one of your company's domains/],
			[t.bob.email, 409, /already names a user/],
			[`shared@${other.domain}`, 422, /not at one of your company's domains/],
		];
		await api(`/admin/users/${t.bob.id}/aliases`, admin, send("POST", { address: `b@${t.domain}` }));
		cases.push([`b@${t.domain}`, 409, /already names an alias/]);
		for (const [address, status, detail] of cases) {
			const res = await api(`/admin/users/${t.alice.id}/aliases`, admin, send("POST", { address }));
			expect(res.status, address).toBe(status);
			expect(await detailOf(res)).toMatch(detail);
		}
		// Another company's user's alias cannot be removed through this company.
		const theirs = await env.DB.prepare("SELECT id FROM aliases WHERE address = ?").bind(`shared@${other.domain}`).first<string>("id");
		expect((await api(`/admin/users/${t.alice.id}/aliases/${theirs}`, admin, send("DELETE"))).status).toBe(404);
		expect((await api(`/admin/users/${other.alice.id}/aliases/${theirs}`, admin, send("DELETE"))).status).toBe(404);
	});
});

describe("POST /api/admin/users/import", () => {
	const importCsv = (cookie: string, csv: string, options: { dryRun?: boolean; invite?: boolean } = {}) =>
		api("/admin/users/import", cookie, send("POST", { csv, ...options }));

	it("checks every row, reports errors with their line, and creates only the valid rows", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = t.domain;
		const csv = [
			"Email,Name,Role,Alternate_Email,Aliases",
			`carol@${d},Carol Jones,admin,carol@home.example,cj@${d};c.jones@${d}`,
			`dave@${d},"Dave, Jr.",user,,`,
			"",
			`erin@example.org,Erin,,,`,
			`${t.bob.email},Bob again,,,`,
			`frank@${d},Frank,boss,,`,
			`carol@${d},Carol twice,,,`,
			`gina@${d},Gina,,gina@${d},`,
			`not-an-address,,,,`,
			`hank@${d},Hank,,,cj@${d} hank.h@${d}`,
		].join("\r\n");
		const check = await importCsv(admin, csv, { dryRun: true });
		expect(check.status).toBe(200);
		const planned = (await check.json()) as ImportResult;
		expect(planned.created).toEqual([
			{ line: 2, id: "", email: `carol@${d}` },
			{ line: 3, id: "", email: `dave@${d}` },
		]);
		expect(planned.errors.map((e) => [e.line, e.email])).toEqual([
			[5, "erin@example.org"],
			[6, t.bob.email],
			[7, `frank@${d}`],
			[8, `carol@${d}`],
			[9, `gina@${d}`],
			[10, "not-an-address"],
			[11, `hank@${d}`],
		]);
		const byLine = new Map(planned.errors.map((e) => [e.line, e.error]));
		expect(byLine.get(5)).toMatch(/not at one of your company's domains/);
		expect(byLine.get(6)).toMatch(/already in use \(by a user\)/);
		expect(byLine.get(7)).toMatch(/role must be user or admin/);
		expect(byLine.get(8)).toMatch(/also on line 2/);
		expect(byLine.get(9)).toMatch(/^alternate_email .*own domain/);
		expect(byLine.get(10)).toMatch(/is not an email address/);
		expect(byLine.get(11)).toMatch(/alias cj@.* is also on line 2/);
		// A dry run creates nothing.
		expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE customer_id = ?").bind(t.customerId).first("n")).toBe(3);

		const res = await importCsv(admin, csv);
		const done = (await res.json()) as ImportResult;
		expect(done.created.map((c) => [c.line, c.email])).toEqual([
			[2, `carol@${d}`],
			[3, `dave@${d}`],
		]);
		expect(done.errors).toEqual(planned.errors);
		const list = (await (await api("/admin/users", admin)).json()) as UserPage;
		expect(list.users.find((u) => u.email === `carol@${d}`)).toMatchObject({
			id: done.created[0]?.id,
			displayName: "Carol Jones",
			role: "customer_admin",
			alternateEmail: "carol@home.example",
			aliases: [{ address: `c.jones@${d}` }, { address: `cj@${d}` }],
			passwordSet: false,
		});
		expect(list.users.find((u) => u.email === `dave@${d}`)).toMatchObject({ displayName: "Dave, Jr.", role: "user", alternateEmail: null });
		expect((await events(t.customerId, "user.created")).map((e) => e.detail)).toEqual([
			{ email: `carol@${d}`, role: "customer_admin", alternateEmail: "carol@home.example", source: "import", line: 2 },
			{ email: `dave@${d}`, role: "user", alternateEmail: null, source: "import", line: 3 },
		]);
		expect(await events(t.customerId, "alias.added")).toHaveLength(2);
		// The same file again: everything is now in use.
		const again = (await (await importCsv(admin, csv)).json()) as ImportResult;
		expect(again.created).toEqual([]);
		expect(again.errors.find((e) => e.line === 2)?.error).toMatch(/carol@.* is already in use \(by a user\)/);
	});

	it("accepts a semicolon file with only an email column, and refuses bad headers and oversized files", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const semi = (await (await importCsv(admin, `\uFEFFE-Mail\nivy@${t.domain}\n`, { dryRun: true })).json()) as ImportResult;
		expect(semi).toEqual({ created: [{ line: 2, id: "", email: `ivy@${t.domain}` }], errors: [] });
		const euro = (await (await importCsv(admin, `email;name\nivy@${t.domain};Ivy\n`, { dryRun: true })).json()) as ImportResult;
		expect(euro.created).toHaveLength(1);

		const cases: [string, number, RegExp][] = [
			["name\nIvy\n", 422, /must name an email column/],
			["email,phone\nivy@x\n", 422, /unknown column "phone"/],
			["\n\n", 422, /no header line/],
			[`email\n${"a".repeat(1024 * 1024)}\n`, 413, /at most 1 MiB/],
			[`email\n${Array.from({ length: 5001 }, (_, i) => `u${i}@${t.domain}`).join("\n")}`, 413, /5,001 users; at most 5,000/],
		];
		for (const [csv, status, detail] of cases) {
			const res = await importCsv(admin, csv, { dryRun: true });
			expect(res.status, csv.slice(0, 30)).toBe(status);
			expect(await detailOf(res)).toMatch(detail);
		}
		expect((await api("/admin/users/import", admin, send("POST", { csv: 42 }))).status).toBe(422);
		expect((await importCsv(await signIn(t.alice.email), "email\n")).status).toBe(403);
	});

	it("creates a few thousand users in one request", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const csv = `email,aliases\n${Array.from({ length: 2000 }, (_, i) => `user${i}@${t.domain},alias${i}@${t.domain}`).join("\n")}\n`;
		const done = (await (await importCsv(admin, csv)).json()) as ImportResult;
		expect(done.errors).toEqual([]);
		expect(done.created).toHaveLength(2000);
		expect(done.created[1999]).toMatchObject({ line: 2001, email: `user1999@${t.domain}` });
		expect(await env.DB.prepare("SELECT count(*) AS n FROM aliases WHERE customer_id = ?").bind(t.customerId).first("n")).toBe(2000);
		expect(
			await env.DB.prepare("SELECT count(*) AS n FROM events WHERE customer_id = ? AND kind = 'user.created'")
				.bind(t.customerId)
				.first("n"),
		).toBe(2000);
	});
});
