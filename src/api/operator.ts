// The operator (who runs this deployment) manages partners: list them, create one with its
// own company and first partner admin. Operators are bootstrapped with
// `npm run admin -- create-operator EMAIL`.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { partnerTotals } from "../db/domain-summaries";
import { customers, partners, users } from "../db/schema";
import { randomToken } from "../lib/bytes";
import { newId } from "../lib/ids";
import { hashPassword, paramsFor } from "../lib/password";
import { parseMailbox } from "../mail/address";
import { audit } from "./audit";
import type { AppEnv } from "./context";
import { requireAccess } from "./middleware/role";
import { requireSession } from "./middleware/session";
import { problem } from "./problem";
import type { CreatedPartner, OperatorPartnerList } from "./types";

export const operatorRoutes = new Hono<AppEnv>()
	.use(
		requireSession(),
		requireAccess((p) => p.role === "operator", "Only operators manage partners."),
	)
	.get("/partners", async (c) => {
		const db = c.var.db;
		const rows = await db.select().from(partners).orderBy(partners.name);
		// From the domains' summaries: the whole deployment at a glance without counting mail.
		const totals = new Map((await partnerTotals(db)).map((t) => [t.partnerId, t]));
		return c.json<OperatorPartnerList>({
			partners: rows.map((r) => {
				const t = totals.get(r.id);
				return {
					id: r.id,
					name: r.name,
					customers: t?.customers ?? 0,
					domains: t?.domains ?? 0,
					domainsDown: t?.domainsDown ?? 0,
					held: t?.held ?? 0,
				};
			}),
		});
	})
	.post("/partners", async (c) => {
		const body = (await c.req.json().catch(() => null)) as { name?: unknown; adminEmail?: unknown; adminAlternateEmail?: unknown } | null;
		const bad = (detail: string) => problem(422, "Cannot create the partner", detail);
		const name = typeof body?.name === "string" ? body.name.trim() : "";
		if (name.length < 2 || name.length > 200) throw bad("name must be 2 to 200 characters.");
		const admin = typeof body?.adminEmail === "string" ? parseMailbox(body.adminEmail) : null;
		if (!admin) throw bad("adminEmail must be an email address.");
		const alternate = typeof body?.adminAlternateEmail === "string" ? parseMailbox(body.adminAlternateEmail) : null;
		const db = c.var.db;
		if (await db.query.users.findFirst({ where: eq(users.email, admin.address.canonical) }))
			throw problem(409, "Address already in use", `${admin.address.canonical} already has an account.`);
		const now = c.var.clock.now();
		const partnerId = newId(now);
		const companyId = newId(now);
		const adminId = newId(now);
		const password = randomToken(15);
		await db.batch([
			db.insert(partners).values({ id: partnerId, name, createdAt: now }),
			// The partner's own company works like any customer (its own inboxes, its own admins).
			db.insert(customers).values({ id: companyId, partnerId, name, createdAt: now }),
			db.insert(users).values({
				id: adminId,
				customerId: companyId,
				partnerId,
				email: admin.address.canonical,
				displayName: admin.name,
				role: "partner_admin",
				passwordHash: await hashPassword(password, paramsFor(c.env)),
				alternateEmail: alternate?.address.canonical ?? null,
				createdAt: now,
			}),
		]);
		await audit(c, { partnerId, kind: "partner.created", detail: { name, admin: admin.address.canonical } }, now);
		return c.json<CreatedPartner>(
			{ id: partnerId, admin: { id: adminId, email: admin.address.canonical, oneTimePassword: password } },
			201,
		);
	});
