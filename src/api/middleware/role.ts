import type { MiddlewareHandler } from "hono";
import type { Role } from "../../db/schema";
import type { AppEnv } from "../context";
import { problem } from "../problem";

/** Runs after requireSession: 403 unless the principal has one of `roles` and a company to act in. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
	return async function requireRole(c, next) {
		const p = c.var.principal;
		if (!roles.includes(p.role) || !p.customerId) {
			throw problem(403, "Not allowed", "Your account cannot use the administration API.");
		}
		await next();
	};
}
