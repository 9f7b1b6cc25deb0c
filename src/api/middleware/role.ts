import type { MiddlewareHandler } from "hono";
import type { SessionPrincipal } from "../../db/sessions";
import { audit, clientIp } from "../audit";
import type { AppEnv } from "../context";
import { problem } from "../problem";

/**
 * Runs after requireSession: 403 with `detail` unless `allowed(principal)`. A refusal is an
 * event too — who tried what (a partner reaching for a customer's inbox), in the audit log.
 */
export function requireAccess(allowed: (p: SessionPrincipal) => boolean, detail: string): MiddlewareHandler<AppEnv> {
	return async function requireAccess(c, next) {
		const p = c.var.principal;
		if (!allowed(p)) {
			const now = c.var.clock.now();
			await audit(
				c,
				{
					customerId: p.customerId,
					partnerId: p.partnerId,
					kind: "access.denied",
					detail: { method: c.req.method, path: c.req.path, role: p.role },
					ip: clientIp(c),
				},
				now,
			);
			throw problem(403, "Not allowed", detail);
		}
		await next();
	};
}
