// A channel partner: its customers with health at a glance, creating a customer with its
// first domain and admin; never anyone else's customers, never their mail.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { PartnerCustomerDetail } from "../../src/api/types";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { api, createTenant, deliver, PASSWORD, signIn, signInAdmin, simpleMessage } from "./helpers";

const json = (body: unknown): RequestInit => ({
	method: "POST",
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});

async function partner(name = "Partner"): Promise<{ id: string; email: string; cookie: string }> {
	const id = newId();
	const email = `p-${crypto.randomUUID().slice(0, 8)}@partner.test`;
	await env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, ?)").bind(id, name).run();
	await env.DB.prepare("INSERT INTO users (id, partner_id, email, role, password_hash) VALUES (?, ?, ?, 'partner_admin', ?)")
		.bind(newId(), id, email, await hashPassword(PASSWORD, paramsFor(env)))
		.run();
	return { id, email, cookie: await signIn(email) };
}

describe("the partner API", () => {
	it("lists only the partner's customers, with domains down and mail held", async () => {
		const p = await partner();
		const mine = await createTenant();
		const theirs = await createTenant();
		await env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(p.id, mine.customerId).run();
		await deliver("x@example.org", mine.alice.email, simpleMessage("held"));
		const res = await api("/partner/customers", p.cookie);
		expect(res.status).toBe(200);
		const { customers } = (await res.json()) as { customers: { id: string; domainsDown: number; held: number }[] };
		expect(customers).toEqual([expect.objectContaining({ id: mine.customerId, domainsDown: 1, held: 1 })]);
		expect(customers.map((c) => c.id)).not.toContain(theirs.customerId);
	});

	it("shows one of its customers by id (the drill-down's banner), and no other partner's", async () => {
		const p = await partner("Channel One");
		const other = await partner("Channel Two");
		const mine = await createTenant();
		const theirs = await createTenant();
		await env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(p.id, mine.customerId).run();
		await env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(other.id, theirs.customerId).run();
		await deliver("x@example.org", mine.alice.email, simpleMessage("held"));

		const res = await api(`/partner/customers/${mine.customerId}`, p.cookie);
		expect(res.status).toBe(200);
		expect((await res.json()) as PartnerCustomerDetail).toEqual({
			id: mine.customerId,
			name: expect.stringMatching(/^Customer /),
			partner: { id: p.id, name: "Channel One" },
			// No destination yet: mail is held, so the domain counts as down.
			domains: [{ id: mine.domainId, name: mine.domain, state: "down", storageNearLimit: false }],
			domainsDown: 1,
			held: 1,
		});
		// Another partner's customer, and one that does not exist, answer alike.
		for (const id of [theirs.customerId, newId()]) {
			const denied = await api(`/partner/customers/${id}`, p.cookie);
			expect(denied.status).toBe(404);
			expect(((await denied.json()) as { title: string }).title).toBe("Customer not found");
		}
		expect((await api(`/partner/customers/${theirs.customerId}`, other.cookie)).status).toBe(200);
		// The customer's own admin is not a partner.
		expect((await api(`/partner/customers/${mine.customerId}`, await signInAdmin(mine))).status).toBe(403);
	});

	it("creates a customer with its domain and first admin, who can then sign in", async () => {
		const p = await partner();
		const domain = `new${crypto.randomUUID().slice(0, 6)}.test`;
		const res = await api(
			"/partner/customers",
			p.cookie,
			json({ name: "Initech", domain, adminEmail: `Peter <peter@${domain}>`, adminAlternateEmail: "peter@home.example" }),
		);
		expect(res.status).toBe(201);
		const created = (await res.json()) as { admin: { email: string; oneTimePassword: string } };
		const admin = await signIn(created.admin.email, created.admin.oneTimePassword);
		const domains = (await (await api("/admin/domains", admin)).json()) as { domains: { name: string }[] };
		expect(domains.domains.map((d) => d.name)).toEqual([domain]);
		expect(
			(
				await api(
					"/partner/customers",
					p.cookie,
					json({ name: "Initech", domain, adminEmail: `x@${domain}`, adminAlternateEmail: "x@home.example" }),
				)
			).status,
		).toBe(409);
		for (const body of [{ name: "x" }, { name: "Ok Co", domain: "nodot" }, { name: "Ok Co", domain, adminEmail: "a@elsewhere.test" }]) {
			expect((await api("/partner/customers", p.cookie, json(body))).status).toBe(422);
		}
	});

	it("is refused to customer admins and users, and partners are refused the admin API and customers' mail", async () => {
		const t = await createTenant();
		const p = await partner();
		await env.DB.prepare("UPDATE customers SET partner_id = ? WHERE id = ?").bind(p.id, t.customerId).run();
		expect((await api("/partner/customers", await signIn(t.alice.email))).status).toBe(403);
		await deliver("x@example.org", t.alice.email, simpleMessage("confidential"));
		const id = await env.DB.prepare("SELECT id FROM messages WHERE user_id = ?").bind(t.alice.id).first<string>("id");
		expect((await api(`/mailbox/messages/${id}`, p.cookie)).status).toBe(404);
		// Acting for its customer, the partner manages settings but is refused the inbox.
		expect((await api(`/admin/domains?customer=${t.customerId}`, p.cookie)).status).toBe(200);
		const view = await api(`/admin/users/${t.alice.id}/view?customer=${t.customerId}`, p.cookie, json({ reason: "Partner wants to read" }));
		expect(view.status).toBe(403);
		expect(((await view.json()) as { title: string }).title).toBe("Partners cannot open a customer's mail");
		// A setting the partner changes for its customer is the partner's, by name, in the log.
		const held = await api(`/admin/domains/${t.domainId}/hold?customer=${t.customerId}`, p.cookie, json({}));
		expect(held.status).toBe(200);
		// The customer's own admin finds both in its activity log.
		const admin = await signInAdmin(t);
		type Logged = { kind: string; actor: { email: string; role: string } | null; detail: { reason?: string; path?: string } };
		const logged = async (kind: string) => ((await (await api(`/admin/events?kind=${kind}`, admin)).json()) as { events: Logged[] }).events;
		expect(await logged("access.")).toContainEqual(
			expect.objectContaining({
				kind: "access.denied",
				actor: { email: p.email, role: "partner_admin" },
				detail: expect.objectContaining({ path: `/api/admin/users/${t.alice.id}/view`, reason: "partners never read a customer's mail" }),
			}),
		);
		expect(await logged("domain.hold")).toContainEqual(expect.objectContaining({ actor: { email: p.email, role: "partner_admin" } }));
	});
});

describe("the operator API", () => {
	it("creates a partner whose admin signs in and manages customers; others are refused", async () => {
		const email = `op-${crypto.randomUUID().slice(0, 8)}@ops.test`;
		await env.DB.prepare("INSERT INTO users (id, email, role, password_hash) VALUES (?, ?, 'operator', ?)")
			.bind(newId(), email, await hashPassword(PASSWORD, paramsFor(env)))
			.run();
		const operator = await signIn(email);
		const adminEmail = `pat-${crypto.randomUUID().slice(0, 6)}@msp.example`;
		const res = await api("/operator/partners", operator, json({ name: "MSP Ltd", adminEmail, adminAlternateEmail: "pat@home.example" }));
		expect(res.status).toBe(201);
		const created = (await res.json()) as { id: string; admin: { oneTimePassword: string } };
		const partnerAdmin = await signIn(adminEmail, created.admin.oneTimePassword);
		const customers = (await (await api("/partner/customers", partnerAdmin)).json()) as { customers: { name: string }[] };
		expect(customers.customers.map((c) => c.name)).toEqual(["MSP Ltd"]);
		const list = (await (await api("/operator/partners", operator)).json()) as { partners: { id: string; customers: number }[] };
		expect(list.partners.find((p) => p.id === created.id)?.customers).toBe(1);
		expect((await api("/operator/partners", partnerAdmin)).status).toBe(403);
	});
});
