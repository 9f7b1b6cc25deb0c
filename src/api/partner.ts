// A channel partner's view: its customers with their health at a glance, and creating a
// customer with its first domain and admin. Partners configure their customers; they never
// read their mail (no route here touches a mailbox, and the admin API, which they use for a
// customer's settings with ?customer=ID, refuses them its users' inboxes).
import { and, eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { partnerDomains } from "../db/domain-summaries";
import { customers, domains, partners, users } from "../db/schema";
import { randomToken } from "../lib/bytes";
import { newId } from "../lib/ids";
import { hashPassword, paramsFor } from "../lib/password";
import { parseMailbox, toAsciiDomain } from "../mail/address";
import { audit } from "./audit";
import type { AppEnv } from "./context";
import { domainState, storageView } from "./domain-state";
import { newVerificationToken } from "./domain-verification";
import { requireAccess } from "./middleware/role";
import { requireSession } from "./middleware/session";
import { problem } from "./problem";
import type { CreatedCustomer, PartnerCustomer, PartnerCustomerDetail, PartnerCustomerList } from "./types";

/**
 * Each customer's domains with their state, how many are down, and how much mail is held for
 * them: one query over the customers, their domains and the summaries the domains' objects
 * publish (at most a minute old while mail moves, current on every up/down). No count over
 * messages, no call per domain.
 */
async function atAGlance(c: Context<AppEnv>, customerId?: string): Promise<PartnerCustomer[]> {
	const rows = await partnerDomains(c.var.db, c.var.principal.partnerId as string, customerId);
	const byCustomer = new Map<string, PartnerCustomer>();
	for (const r of rows) {
		let cu = byCustomer.get(r.customerId);
		if (!cu) {
			cu = { id: r.customerId, name: r.customerName, domains: [], domainsDown: 0, held: 0 };
			byCustomer.set(r.customerId, cu);
		}
		if (!r.domain) continue;
		// No summary yet: the object has had no mail, so nothing is held and it never failed.
		const backlog = (r.summary?.waiting ?? 0) + (r.summary?.inflight ?? 0);
		const state = domainState(r.domain, { health: r.summary?.health ?? "up", backlog });
		cu.domains.push({
			id: r.domain.id,
			name: r.domain.displayName,
			state,
			storageNearLimit: storageView(r.summary?.storageBytes ?? 0).nearLimit,
		});
		if (state === "down") cu.domainsDown += 1;
		cu.held += backlog;
	}
	return [...byCustomer.values()];
}

export const partnerRoutes = new Hono<AppEnv>()
	.use(
		requireSession(),
		requireAccess((p) => p.role === "partner_admin" && p.partnerId !== null, "Only a partner's administrators can manage customers here."),
	)
	.get("/customers", async (c) => {
		return c.json<PartnerCustomerList>({ customers: await atAGlance(c) });
	})
	// One customer, for the drill-down's "Managing … as …" banner. Another partner's customer is
	// 404, exactly like one that does not exist.
	.get("/customers/:id", async (c) => {
		const partnerId = c.var.principal.partnerId as string;
		const db = c.var.db;
		const row = await db.query.customers.findFirst({ where: and(eq(customers.id, c.req.param("id")), eq(customers.partnerId, partnerId)) });
		const partner = row && (await db.query.partners.findFirst({ where: eq(partners.id, partnerId) }));
		if (!row || !partner) throw problem(404, "Customer not found", "No customer of yours has this id.");
		const [summary] = await atAGlance(c, row.id);
		return c.json<PartnerCustomerDetail>({ ...(summary as PartnerCustomer), partner: { id: partner.id, name: partner.name } });
	})
	.post("/customers", async (c) => {
		const p = c.var.principal;
		const body = (await c.req.json().catch(() => null)) as {
			name?: unknown;
			domain?: unknown;
			adminEmail?: unknown;
			adminAlternateEmail?: unknown;
		} | null;
		const bad = (detail: string) => problem(422, "Cannot create the customer", detail);
		const name = typeof body?.name === "string" ? body.name.trim() : "";
		if (name.length < 2 || name.length > 200) throw bad("name must be 2 to 200 characters.");
		const domain = typeof body?.domain === "string" ? toAsciiDomain(body.domain) : null;
		if (!domain?.includes(".")) throw bad("domain must be a domain name such as example.com.");
		const admin = typeof body?.adminEmail === "string" ? parseMailbox(body.adminEmail) : null;
		if (!admin || admin.address.domain !== domain) throw bad(`adminEmail must be an address at ${domain}.`);
		const alternate = typeof body?.adminAlternateEmail === "string" ? parseMailbox(body.adminAlternateEmail) : null;
		if (!alternate || alternate.address.domain === domain)
			throw bad("adminAlternateEmail must be an address outside the new domain (its server may be the one that is down).");
		const db = c.var.db;
		if (await db.query.domains.findFirst({ where: eq(domains.name, domain) }))
			throw problem(409, "Domain already served", `${domain} is already set up here.`);
		if (await db.query.users.findFirst({ where: eq(users.email, admin.address.canonical) }))
			throw problem(409, "Address already in use", `${admin.address.canonical} already has an account.`);

		const now = c.var.clock.now();
		const customerId = newId(now);
		const domainId = newId(now);
		const adminId = newId(now);
		// A one-time password for the first admin, shown once to the partner to pass on.
		const password = randomToken(15);
		await db.batch([
			db.insert(customers).values({ id: customerId, partnerId: p.partnerId, name, createdAt: now }),
			// Unverified until the customer publishes the TXT record (Domains → Setup); its mail is deferred till then.
			db
				.insert(domains)
				.values({ id: domainId, customerId, name: domain, displayName: domain, verificationToken: newVerificationToken(), createdAt: now }),
			db.insert(users).values({
				id: adminId,
				customerId,
				email: admin.address.canonical,
				displayName: admin.name,
				role: "customer_admin",
				passwordHash: await hashPassword(password, paramsFor(c.env)),
				alternateEmail: alternate.address.canonical,
				createdAt: now,
			}),
		]);
		await audit(
			c,
			{ customerId, partnerId: p.partnerId, kind: "customer.created", detail: { name, domain, admin: admin.address.canonical } },
			now,
		);
		return c.json<CreatedCustomer>(
			{
				id: customerId,
				domain: { id: domainId, name: domain },
				admin: { id: adminId, email: admin.address.canonical, oneTimePassword: password },
			},
			201,
		);
	});
