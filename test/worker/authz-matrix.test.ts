// The authorization matrix: every API route × every role (and the same roles of another
// tenant, and anonymous callers) × the objects it touches, checked against the one declared
// table in src/api/access.ts. A route without an entry fails the first test.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ACCESS, type Audience, type RouteKey } from "../../src/api/access";
import { createApp } from "../../src/api/app";
import type { MessageDetail } from "../../src/api/types";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { idOf } from "./downstream";
import { api, createTenant, deliver, PASSWORD, signIn, signInAdmin, type Tenant } from "./helpers";

type Who = "anonymous" | "owner" | "colleague" | "admin" | "other-user" | "other-admin" | "partner" | "operator";

async function account(role: "partner_admin" | "operator", customerId: string | null, partnerId: string | null = null): Promise<string> {
	const email = `${role}-${crypto.randomUUID().slice(0, 8)}@ops.test`;
	await env.DB.prepare("INSERT INTO users (id, customer_id, partner_id, email, role, password_hash) VALUES (?, ?, ?, ?, ?, ?)")
		.bind(newId(), customerId, partnerId, email, role, await hashPassword(PASSWORD, paramsFor(env)))
		.run();
	return signIn(email);
}

const MESSAGE = [
	"From: a@example.org",
	"Subject: matrix",
	"Message-ID: <matrix@example.org>",
	'Content-Type: multipart/mixed; boundary="b"',
	"",
	"--b",
	"Content-Type: text/plain",
	"",
	"hello",
	"--b",
	'Content-Type: text/plain; name="a.txt"',
	'Content-Disposition: attachment; filename="a.txt"',
	"",
	"attached",
	"--b--",
	"",
].join("\r\n");

interface World {
	t: Tenant;
	cookies: Record<Who, string>;
	messageId: string;
	token: string;
	/** The partner's own company: one of its customers, for the partner routes that name one. */
	partnerCo: string;
	/** A group of the tenant (alice in it), for the group routes. */
	groupId: string;
	/** An alias of alice, for the alias routes; and a user of the tenant that may be deleted. */
	aliasId: string;
	doomedId: string;
}

async function world(): Promise<World> {
	const t = await createTenant();
	const other = await createTenant();
	await deliver("a@example.org", t.alice.email, MESSAGE);
	const messageId = await idOf(t.alice.email, "matrix");
	const owner = await signIn(t.alice.email);
	const detail = (await (await api(`/mailbox/messages/${messageId}`, owner)).json()) as MessageDetail;
	const partnerId = newId();
	const partnerCo = newId();
	await env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, 'Partner')").bind(partnerId).run();
	await env.DB.prepare("INSERT INTO customers (id, partner_id, name) VALUES (?, ?, 'Partner Co')").bind(partnerCo, partnerId).run();
	const groupId = newId();
	await env.DB.batch([
		env.DB.prepare("INSERT INTO groups (id, customer_id, address, name) VALUES (?, ?, ?, 'Team')").bind(
			groupId,
			t.customerId,
			`team@${t.domain}`,
		),
		env.DB.prepare("INSERT INTO group_members (group_id, user_id) VALUES (?, ?)").bind(groupId, t.alice.id),
	]);
	const aliasId = newId();
	const doomedId = newId();
	await env.DB.batch([
		env.DB.prepare("INSERT INTO aliases (id, customer_id, user_id, address) VALUES (?, ?, ?, ?)").bind(
			aliasId,
			t.customerId,
			t.alice.id,
			`a.liddell@${t.domain}`,
		),
		env.DB.prepare("INSERT INTO users (id, customer_id, email) VALUES (?, ?, ?)").bind(doomedId, t.customerId, `doomed@${t.domain}`),
	]);
	return {
		t,
		messageId,
		partnerCo,
		groupId,
		aliasId,
		doomedId,
		token: (detail.attachments[0]?.downloadUrl ?? "").replace("/api/files/", ""),
		cookies: {
			anonymous: "",
			owner,
			colleague: await signIn(t.bob.email),
			admin: await signInAdmin(t),
			"other-user": await signIn(other.alice.email),
			"other-admin": await signInAdmin(other),
			partner: await account("partner_admin", partnerCo, partnerId),
			operator: await account("operator", null),
		},
	};
}

/** A request for the route that touches the world's objects, with a harmless body. */
function request(route: RouteKey, w: World): { path: string; init: RequestInit } {
	const [method, pattern] = route.split(" ") as [string, string];
	const isAdmin = pattern.startsWith("/api/admin/domains");
	const path = pattern
		.replace("/api", "")
		.replace(":action{hold|release|retry}", "release")
		.replace(":action{retry|bounce}", "retry")
		.replace(":index", "0")
		.replace(":token", w.token)
		// Reports name their domain in the query: the tenant's, so another company's admin gets 404.
		.replace(/^\/admin\/reports(\.csv)?$/, (p) => `${p}?domain=${w.t.domainId}`)
		.replace("/partner/customers/:id", `/partner/customers/${w.partnerCo}`)
		.replace("/admin/groups/:id", `/admin/groups/${w.groupId}`)
		.replace(":aliasId", w.aliasId)
		// Deleting a user: not alice, whose sessions and objects the other rows use.
		.replace(/^\/admin\/users\/:id$/, (p) => (method === "DELETE" ? `/admin/users/${w.doomedId}` : p))
		.replace(":id", isAdmin ? w.t.domainId : pattern.startsWith("/api/admin/users") ? w.t.alice.id : w.messageId);
	const bodies: Partial<Record<RouteKey, unknown>> = {
		"POST /api/session": { email: w.t.alice.email, password: PASSWORD },
		"PATCH /api/mailbox/messages": { ids: [w.messageId], seen: true },
		"POST /api/mailbox/send": { to: [], cc: [], bcc: [], subject: "", text: "", attachments: [] },
		"PATCH /api/admin/domains/:id": { policy: {} },
		// No name: 422 after the access check, nothing added. The world's domain is verified (verify
		// answers without DNS) and has mail on record, so DELETE is refused with 409 and removes nothing.
		"POST /api/admin/domains": { name: "" },
		"PATCH /api/admin/company": {},
		// No address: refused with 422 after the access check. An empty PATCH changes nothing.
		"POST /api/admin/groups": { members: [] },
		"PATCH /api/admin/groups/:id": {},
		// No addresses and no recent unknown recipients: 422 after the access check, no SMTP session.
		"POST /api/admin/domains/:id/discover": {},
		// No reason: refused with 422 after the access check, so the admin's session is not rotated.
		"POST /api/admin/users/:id/view": {},
		// Users: no email (422), a harmless rename, a file with no rows checked only, alice has no
		// alternate address (skipped, nothing sent), an empty alias (422), a too-short password (422).
		"POST /api/admin/users": {},
		"PATCH /api/admin/users/:id": { displayName: "Alice" },
		"POST /api/admin/users/import": { csv: "email\n", dryRun: true },
		"POST /api/admin/users/invite": { ids: [w.t.alice.id] },
		"POST /api/admin/users/:id/aliases": { address: "" },
		"POST /api/session/password": { token: "not-a-token", password: "short" },
		"POST /api/session/code": { email: "nobody@example.org" },
		// No challenge cookie: 410, nothing signed in. A wrong code: 422 (or 409 before any setup); no body: nothing turned off.
		"POST /api/session/second-factor": { code: "000000" },
		"POST /api/account/totp/confirm": { code: "000000" },
		"POST /api/partner/customers": { name: "" },
		"POST /api/operator/partners": { name: "" },
	};
	if (route === "POST /api/mailbox/uploads")
		return { path, init: { method, headers: { "X-Filename": "a.txt", "Content-Type": "text/plain" }, body: "x" } };
	const body = bodies[route];
	return {
		path,
		init: body === undefined ? { method } : { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) },
	};
}

/** What each caller must get, from the declared audience: "allow" means not 401, 403 or (for objects) 404. */
function expected(audience: Audience, who: Who, touchesObject: boolean): "allow" | 401 | 403 | 404 {
	if (audience === "anyone") return "allow";
	if (who === "anonymous") return 401;
	if (audience === "signed-in") return "allow";
	if (audience === "mailbox-owner") return touchesObject && who !== "owner" ? 404 : "allow";
	if (audience === "mailbox-on-domain") return who === "partner" || who === "operator" ? 403 : "allow";
	if (audience === "partner-admin") return who === "partner" ? "allow" : 403;
	if (audience === "operator") return who === "operator" ? "allow" : 403;
	// customer-admin and inbox-admin: a partner admin administers the partner's own company.
	if (who === "admin") return "allow";
	if (who === "other-admin" || who === "partner") return touchesObject ? 404 : "allow";
	return 403;
}

describe("the authorization matrix", () => {
	it("declares every route the app serves, and nothing else", () => {
		const served = [
			...new Set(
				createApp({ now: () => 0 })
					.routes.filter((r) => r.method !== "ALL")
					.map((r) => `${r.method} ${r.path}`),
			),
		].sort();
		expect(served).toEqual(Object.keys(ACCESS).sort());
	});

	it("holds for every route × caller × object", { timeout: 120_000 }, async () => {
		const w = await world();
		const whos = Object.keys(w.cookies) as Who[];
		const failures: string[] = [];
		let checks = 0;
		// Signing out last: it revokes the session every later row would use.
		const routes = (Object.keys(ACCESS) as RouteKey[]).sort(
			(a, b) => Number(a === "DELETE /api/session") - Number(b === "DELETE /api/session"),
		);
		for (const route of routes) {
			const touchesObject = route.includes(":id") || route.startsWith("GET /api/admin/reports");
			for (const who of whos) {
				const { path, init } = request(route, w);
				const res = await api(path, w.cookies[who], init);
				await res.body?.cancel();
				const want = expected(ACCESS[route], who, touchesObject);
				const ok = want === "allow" ? ![401, 403].includes(res.status) && !(touchesObject && res.status === 404) : res.status === want;
				checks++;
				if (!ok) failures.push(`${route} as ${who}: got ${res.status}, want ${want}`);
			}
		}
		console.log(
			`authorization matrix: ${Object.keys(ACCESS).length} routes × ${whos.length} callers = ${checks} checks, ${failures.length} failures`,
		);
		expect(failures).toEqual([]);
	});

	it("lets a partner manage its customers' settings but never open their mail", { timeout: 60_000 }, async () => {
		const w = await world();
		// Make the world's tenant a customer of the partner: ?customer=ID now reaches its objects.
		const partner = await env.DB.prepare("SELECT partner_id FROM customers WHERE name = 'Partner Co' ORDER BY id DESC LIMIT 1").first<{
			partner_id: string;
		}>();
		await env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(partner?.partner_id, w.t.customerId).run();
		const admins = (Object.keys(ACCESS) as RouteKey[]).filter((r) => ["customer-admin", "inbox-admin"].includes(ACCESS[r]));
		const failures: string[] = [];
		for (const route of admins) {
			const { path, init } = request(route, w);
			const on = (customer: string) => `${path}${path.includes("?") ? "&" : "?"}customer=${customer}`;
			const mine = await api(on(w.t.customerId), w.cookies.partner, init);
			await mine.body?.cancel();
			const want = ACCESS[route] === "inbox-admin" ? 403 : "allow";
			if (want === 403 ? mine.status !== 403 : [401, 403, 404].includes(mine.status))
				failures.push(`${route} as partner for its customer: got ${mine.status}, want ${want}`);
			// Another company's id, by a partner that does not own it or by a customer admin: 404.
			for (const who of ["partner", "other-admin"] as const) {
				const foreign = await api(on(who === "partner" ? newId() : w.t.customerId), w.cookies[who], init);
				await foreign.body?.cancel();
				if (foreign.status !== 404) failures.push(`${route} as ${who} for a foreign customer: got ${foreign.status}, want 404`);
			}
		}
		console.log(
			`acting for a customer: ${admins.length} admin routes × 3 callers (the partner for its customer, for another, another company's admin) = ${admins.length * 3} checks, ${failures.length} failures`,
		);
		expect(failures).toEqual([]);
		const denied = await env.DB.prepare("SELECT detail FROM events WHERE kind = 'access.denied' AND customer_id = ?")
			.bind(w.t.customerId)
			.all<{ detail: string }>();
		expect(denied.results.map((r) => JSON.parse(r.detail).reason)).toContain("partners never read a customer's mail");
	});

	it("refuses every state-changing route from another site, even for the right caller", async () => {
		const w = await world();
		const mutating = (Object.keys(ACCESS) as RouteKey[]).filter((r) => !r.startsWith("GET "));
		for (const route of mutating) {
			const { path, init } = request(route, w);
			const cookie = ["customer-admin", "inbox-admin"].includes(ACCESS[route]) ? w.cookies.admin : w.cookies.owner;
			for (const attack of [{ "Sec-Fetch-Site": "cross-site" }, { Origin: "https://evil.example" }]) {
				const headers = new Headers(init.headers);
				for (const [k, v] of Object.entries(attack)) headers.set(k, v);
				const res = await api(path, cookie, { ...init, headers });
				expect(res.status, `${route} ${JSON.stringify(attack)}`).toBe(403);
			}
		}
		// A form-encoded body is refused too (a cross-site <form> can send one without preflight).
		const form = await SELF.fetch("http://localhost/api/mailbox/send", {
			method: "POST",
			headers: { Cookie: w.cookies.owner, "Content-Type": "application/x-www-form-urlencoded" },
			body: "to=a@example.org",
		});
		expect(form.status).toBe(415);
	});
});
