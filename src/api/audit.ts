// Audit events for API calls: who acted (the session's user) and for which company (the one
// the route acts on) come from the request context, once, here.
import type { Context } from "hono";
import { appendEvent, type EventFields, event, type NewEvent } from "../db/events";
import type { AppEnv } from "./context";

type AuditFields = Omit<EventFields, "actorUserId">;

/** The caller's address as Cloudflare saw it, for events that record one. */
export function clientIp(c: Context<AppEnv>): string | null {
	return c.req.header("CF-Connecting-IP") ?? null;
}

/**
 * The event row for what the signed-in caller did, for the company acted on unless `fields`
 * names another customerId; at `now` (the request's clock by default). For a D1 batch.
 */
export function auditEvent(c: Context<AppEnv>, fields: AuditFields, now: number = c.var.clock.now()): NewEvent {
	return event(now, { customerId: c.var.customerId, actorUserId: c.var.principal.userId, ...fields });
}

/** Appends auditEvent(c, fields, now) to the log. */
export async function audit(c: Context<AppEnv>, fields: AuditFields, now?: number): Promise<void> {
	await appendEvent(c.var.db, auditEvent(c, fields, now));
}
