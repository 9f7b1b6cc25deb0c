import type { MiddlewareHandler } from "hono";
import { appendEvent } from "../../db/events";
import type { SessionPrincipal } from "../../db/sessions";
import { newId } from "../../lib/ids";
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
			throw problem(403, "Not allowed", detail);
		}
		await next();
	};
}
