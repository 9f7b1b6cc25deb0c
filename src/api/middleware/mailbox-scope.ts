import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { problem } from "../problem";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Runs after requireSession on the mailbox routes: sets whose mailbox this request works on.
 * A customer admin viewing a user's Emergency Inbox gets that user's mailbox, read-only
 * unless they chose to act; what they do stays recorded as theirs (actorUserId).
 */
export function mailboxScope(): MiddlewareHandler<AppEnv> {
	return async function mailboxScope(c, next) {
		const p = c.var.principal;
		const v = p.viewing;
		if (v && !v.canAct && !SAFE.has(c.req.method)) {
			throw problem(
				403,
				"Read-only view",
				`You are viewing ${v.email}'s Emergency Inbox read-only. Open it again with "Let me act in this inbox" to make changes; they are recorded as yours.`,
			);
		}
		c.set(
			"mailbox",
			v
				? { userId: v.userId, email: v.email, displayName: v.displayName, customerId: p.customerId }
				: { userId: p.userId, email: p.email, displayName: p.displayName, customerId: p.customerId },
		);
		await next();
	};
}
