// Company settings that are not about one domain: the name people see, whether outage alerts
// go to every user (at their alternate address) or to the administrators only, and whether
// users may sign in with a one-time code mailed to their alternate address.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { eventInsert } from "../db/events";
import { customers, partners } from "../db/schema";
import type { Company } from "./admin-types";
import { auditEvent } from "./audit";
import type { AppEnv } from "./context";
import { problem } from "./problem";

async function companyView(c: { var: AppEnv["Variables"] }): Promise<Company> {
	const [row] = await c.var.db
		.select({
			id: customers.id,
			name: customers.name,
			notifyUsers: customers.notifyUsers,
			signinCodes: customers.signinCodes,
			requireAdminSecondFactor: customers.requireAdminSecondFactor,
			partner: partners.name,
		})
		.from(customers)
		.leftJoin(partners, eq(partners.id, customers.partnerId))
		.where(eq(customers.id, c.var.customerId))
		.limit(1);
	if (!row) throw problem(404, "Customer not found");
	return row;
}

export const companyRoutes = new Hono<AppEnv>()
	.get("/company", async (c) => c.json<Company>(await companyView(c)))
	.patch("/company", async (c) => {
		const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
		if (!body || typeof body !== "object")
			throw problem(400, "Invalid request", "Send a JSON object with name, notifyUsers, signinCodes and/or requireAdminSecondFactor.");
		const set: Partial<typeof customers.$inferInsert> = {};
		if (body.name !== undefined) {
			const name = typeof body.name === "string" ? body.name.trim() : "";
			if (name.length < 2 || name.length > 200) throw problem(422, "Invalid company settings", "name must be 2 to 200 characters.");
			set.name = name;
		}
		for (const flag of ["notifyUsers", "signinCodes", "requireAdminSecondFactor"] as const) {
			if (body[flag] === undefined) continue;
			if (typeof body[flag] !== "boolean") throw problem(422, "Invalid company settings", `${flag} must be true or false.`);
			set[flag] = body[flag];
		}
		if (Object.keys(set).length > 0) {
			const now = c.var.clock.now();
			await c.var.db.batch([
				c.var.db.update(customers).set(set).where(eq(customers.id, c.var.customerId)),
				eventInsert(
					c.var.db,
					auditEvent(c, { partnerId: c.var.onBehalf ? c.var.principal.partnerId : null, kind: "company.updated", detail: set }, now),
				),
			]);
		}
		return c.json<Company>(await companyView(c));
	});
