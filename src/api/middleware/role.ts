import type { MiddlewareHandler } from "hono";
import { appendEvent } from "../../db/events";
import type { Role } from "../../db/schema";
import { newId } from "../../lib/ids";
import type { AppEnv } from "../context";
import { problem } from "../problem";

/** Runs after requireSession: 403 unless the principal has one of `roles` and a company to act in. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
	return async function requireRole(c, next) {
		const p = c.var.principal;
		if (!roles.includes(p.role) || !p.customerId) {
			// A denied view is an event too: who tried what (a partner opening a customer's inbox).
			const now = c.var.clock.now();
			await appendEvent(c.var.db, {
				id: newId(now),
				customerId: p.customerId,
				partnerId: p.partnerId,
				actorUserId: p.userId,
				kind: "access.denied",
				detail: JSON.stringify({ method: c.req.method, path: c.req.path, role: p.role }),
				ip: c.req.header("CF-Connecting-IP") ?? null,
				createdAt: now,
			});
			throw problem(403, "Not allowed", "Your account cannot use the administration API.");
		}
		await next();
	};
}
