import { and, eq } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { customers } from "../../db/schema";
import { audit, clientIp } from "../audit";
import type { AppEnv } from "../context";
import { problem } from "../problem";
import { requireAccess } from "./role";

/**
 * Which company an administration request acts on, into c.var.customerId. A customer admin
 * acts on their own company. A partner admin acts on the partner's own company, or, with
 * `?customer=ID`, on one of the partner's customers (c.var.onBehalf: settings only, never
 * mail). Any other customer id answers 404, exactly like one that does not exist.
 */
export function adminScope(): MiddlewareHandler<AppEnv> {
	const roleCheck = requireAccess(
		(p) => (p.role === "customer_admin" && p.customerId !== null) || (p.role === "partner_admin" && p.partnerId !== null),
		"Your account cannot use the administration API.",
	);
	return async function adminScope(c, next) {
		await roleCheck(c, async () => {
			const p = c.var.principal;
			const asked = c.req.query("customer");
			if (asked === undefined || asked === p.customerId) {
				if (p.customerId === null) throw problem(400, "Customer required", "Name the customer to manage with ?customer=ID.");
				c.set("customerId", p.customerId);
				c.set("onBehalf", false);
			} else {
				const mine =
					p.role === "partner_admin" &&
					(await c.var.db.query.customers.findFirst({
						columns: { id: true },
						where: and(eq(customers.id, asked), eq(customers.partnerId, p.partnerId as string)),
					}));
				if (!mine) throw problem(404, "Customer not found");
				c.set("customerId", asked);
				c.set("onBehalf", true);
			}
			await next();
		});
	};
}

/**
 * For routes that open mail (a user's Emergency Inbox): a partner acting for a customer is
 * refused with a 403 that says why, and the attempt is in both companies' activity logs.
 */
export function ownCompanyOnly(): MiddlewareHandler<AppEnv> {
	return async function ownCompanyOnly(c, next) {
		if (c.var.onBehalf) {
			const p = c.var.principal;
			const now = c.var.clock.now();
			await audit(
				c,
				{
					partnerId: p.partnerId,
					kind: "access.denied",
					detail: { method: c.req.method, path: c.req.path, role: p.role, reason: "partners never read a customer's mail" },
					ip: clientIp(c),
				},
				now,
			);
			throw problem(
				403,
				"Partners cannot open a customer's mail",
				"As a partner you manage this customer's settings, but its users' Emergency Inboxes are open only to the customer's own administrators. This attempt has been recorded in the activity log.",
			);
		}
		await next();
	};
}
