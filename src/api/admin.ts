// Customer admin API for delivery: domains (destination, policy, health), maintenance hold,
// retry and bounce. Every query takes the admin's customer id first; another customer's
// domain or message answers 404, exactly like one that does not exist.

import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { findCustomerDomain, findCustomerMessage, listCustomerDomains } from "../db/admin-domains";
import type { DomainRow } from "../db/domains";
import { listCustomerEvents } from "../db/events";
import { domains, type UnknownRecipientPolicy, users } from "../db/schema";
import { domainRelay } from "../domain/domain-relay";
import { validatePolicy } from "../domain/schedule";
import { csvDocument } from "../lib/csv";
import { seal } from "../lib/secret-box";
import { checkDestination } from "../relay/destination";
import { probe } from "../relay/smtp-client";
import type { TlsMode } from "../relay/types";
import type { EventPage, MessageActionResult, ViewStarted } from "./admin-types";
import { audit, clientIp } from "./audit";
import type { AppEnv } from "./context";
import { destinationOrProblem } from "./delivery-target";
import { domainState, liveView, storageView } from "./domain-state";
import type { ConnectionTest, DeliveryLogPage, DomainActionResult, DomainList, DomainPatchResult, DomainSettings } from "./domain-types";
import { verificationView } from "./domain-verification";
import { ownCompanyOnly } from "./middleware/customer-scope";
import { replaceSession } from "./middleware/session";
import { problem } from "./problem";

const TLS_MODES: TlsMode[] = ["required", "opportunistic", "off"];
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export function domainView(d: DomainRow): DomainSettings {
	return {
		/** Ownership: the TXT record that proves it, and whether it has been checked. */
		verification: verificationView(d),
		delivery: { host: d.deliveryHost, port: d.deliveryPort, tls: d.deliveryTls, authUser: d.deliveryAuthUser },
		/** Mail written in the Emergency Inbox to people outside: this smarthost, or null for Cloudflare Email Service. */
		outbound: d.smarthostHost ? { host: d.smarthostHost, port: d.smarthostPort, tls: d.smarthostTls, authUser: d.smarthostAuthUser } : null,
		policy: {
			unknownRecipients: d.unknownRecipients,
			maxMessageBytes: d.maxMessageBytes,
			retrySchedule: JSON.parse(d.retrySchedule) as number[],
			delayWarnings: JSON.parse(d.delayWarnings) as number[],
			lifetimeSeconds: d.lifetimeSeconds,
			retainDeliveredSeconds: d.retainDeliveredSeconds,
			retainHeldSeconds: d.retainHeldSeconds,
			failuresToDown: d.failuresToDown,
			probesToUp: d.probesToUp,
			drainConnections: d.drainConnections,
			messagesPerConnection: d.messagesPerConnection,
			held: d.held,
		},
	};
}

const intIn = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

type Endpoint = { host: string; port: number; tls: TlsMode; authUser?: string | null; authSecret?: string | null };

/** An SMTP endpoint an admin sets (delivery destination or outbound smarthost), validated. */
async function parseEndpoint(field: string, value: unknown, defaultTls: TlsMode, domain: DomainRow, env: Env): Promise<Endpoint> {
	const bad = (detail: string) => problem(422, "Invalid domain settings", detail);
	if (typeof value !== "object" || value === null) throw bad(`${field} must be an object {host, port, tls, auth?}`);
	const v = value as Record<string, unknown>;
	const host = typeof v.host === "string" ? v.host.trim().toLowerCase() : "";
	if (!host || host.length > 253) throw bad(`${field}.host must be a host name or address`);
	if (!intIn(v.port, 1, 65535)) throw bad(`${field}.port must be a port number from 1 to 65535`);
	const tls = (v.tls ?? defaultTls) as TlsMode;
	if (!TLS_MODES.includes(tls)) throw bad(`${field}.tls must be one of ${TLS_MODES.join(", ")}`);
	const refused = checkDestination({ host, port: v.port }, env.ENVIRONMENT);
	if (refused) throw bad(refused);
	const endpoint: Endpoint = { host, port: v.port, tls };
	if (v.auth === null) Object.assign(endpoint, { authUser: null, authSecret: null });
	else if (v.auth !== undefined) {
		const auth = v.auth as Record<string, unknown>;
		if (typeof auth?.user !== "string" || typeof auth.pass !== "string" || !auth.user || !auth.pass)
			throw bad(`${field}.auth must be {user, pass} or null`);
		if (!env.CREDENTIALS_KEY)
			throw problem(503, "Credentials cannot be stored", "The CREDENTIALS_KEY secret is not configured on this deployment.");
		Object.assign(endpoint, { authUser: auth.user, authSecret: await seal(env.CREDENTIALS_KEY, auth.pass, domain.id) });
	}
	return endpoint;
}

/** Turns a PATCH body into column updates, or a 422 naming the first bad field. */
async function parsePatch(body: Record<string, unknown>, domain: DomainRow, env: Env): Promise<Partial<typeof domains.$inferInsert>> {
	const bad = (detail: string) => problem(422, "Invalid domain settings", detail);
	const set: Partial<typeof domains.$inferInsert> = {};
	if (body.delivery !== undefined) {
		const e = await parseEndpoint("delivery", body.delivery, "opportunistic", domain, env);
		Object.assign(set, { deliveryHost: e.host, deliveryPort: e.port, deliveryTls: e.tls });
		if (e.authUser !== undefined) Object.assign(set, { deliveryAuthUser: e.authUser, deliveryAuthSecret: e.authSecret });
	}
	if (body.outbound === null) {
		Object.assign(set, { smarthostHost: null, smarthostPort: null, smarthostAuthUser: null, smarthostAuthSecret: null });
	} else if (body.outbound !== undefined) {
		const e = await parseEndpoint("outbound", body.outbound, "required", domain, env);
		Object.assign(set, { smarthostHost: e.host, smarthostPort: e.port, smarthostTls: e.tls });
		if (e.authUser !== undefined) Object.assign(set, { smarthostAuthUser: e.authUser, smarthostAuthSecret: e.authSecret });
	}
	const policy = (body.policy ?? {}) as Record<string, unknown>;
	if (typeof policy !== "object" || policy === null) throw bad("policy must be an object");
	const schedule = validatePolicy({
		...(policy.retrySchedule !== undefined ? { retrySchedule: policy.retrySchedule as number[] } : {}),
		...(policy.delayWarnings !== undefined ? { delayWarnings: policy.delayWarnings as number[] } : {}),
		...(policy.lifetimeSeconds !== undefined ? { lifetimeSeconds: policy.lifetimeSeconds as number } : {}),
	});
	if (schedule) throw bad(schedule);
	if (policy.retrySchedule !== undefined) set.retrySchedule = JSON.stringify(policy.retrySchedule);
	if (policy.delayWarnings !== undefined) set.delayWarnings = JSON.stringify(policy.delayWarnings);
	if (policy.lifetimeSeconds !== undefined) set.lifetimeSeconds = policy.lifetimeSeconds as number;
	if (policy.unknownRecipients !== undefined) {
		if (policy.unknownRecipients !== "reject" && policy.unknownRecipients !== "accept")
			throw bad("policy.unknownRecipients must be reject or accept");
		set.unknownRecipients = policy.unknownRecipients as UnknownRecipientPolicy;
	}
	const ints: [keyof typeof domains.$inferInsert, number, number][] = [
		["maxMessageBytes", 1024, MAX_MESSAGE_BYTES],
		["retainDeliveredSeconds", 0, 30 * 86_400],
		["retainHeldSeconds", 0, 90 * 86_400],
		["failuresToDown", 1, 20],
		["probesToUp", 1, 20],
		["drainConnections", 1, 10],
		["messagesPerConnection", 1, 100],
	];
	for (const [key, min, max] of ints) {
		const v = policy[key];
		if (v === undefined) continue;
		if (!intIn(v, min, max)) throw bad(`policy.${key} must be a whole number from ${min} to ${max}`);
		Object.assign(set, { [key]: v });
	}
	return set;
}

export const adminRoutes = new Hono<AppEnv>()
	.get("/domains", async (c) => {
		const customerId = c.var.customerId;
		const rows = await listCustomerDomains(c.var.db, customerId);
		// Health and counts from each domain's object, which keeps them as counters: never a
		// count over the company's messages.
		const result = await Promise.all(
			rows.map(async (d) => {
				const status = await domainRelay(c.env, d.name).status();
				return {
					id: d.id,
					name: d.name,
					displayName: d.displayName,
					health: {
						state: domainState(d, liveView(status)),
						since: new Date(status.health.since).toISOString(),
						lastError: status.health.lastError,
						lastProbeAt: status.health.lastProbeAt ? new Date(status.health.lastProbeAt).toISOString() : null,
					},
					counts: {
						spooled: status.spooled - status.deferred + status.inflight,
						deferred: status.deferred,
						delivered: status.delivered,
						bounced: status.bounced,
					},
					storage: storageView(status.storageBytes),
					...domainView(d),
				};
			}),
		);
		return c.json<DomainList>({ domains: result });
	})
	.patch("/domains/:id", async (c) => {
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const body = await c.req.json().catch(() => null);
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send a JSON object with delivery and/or policy.");
		const set = await parsePatch(body as Record<string, unknown>, domain, c.env);
		const now = c.var.clock.now();
		if (Object.keys(set).length > 0) {
			await c.var.db.update(domains).set(set).where(eq(domains.id, domain.id));
			await audit(
				c,
				// Which settings changed, never the secret itself.
				{
					customerId: domain.customerId,
					domainId: domain.id,
					kind: "domain.updated",
					detail: { changed: Object.keys(set).map((k) => k.replace(/AuthSecret$/, "Auth")) },
				},
				now,
			);
			await domainRelay(c.env, domain.name).configChanged();
		}
		const updated = (await findCustomerDomain(c.var.db, c.var.customerId, domain.id)) as DomainRow;
		return c.json<DomainPatchResult>({ id: updated.id, name: updated.name, ...domainView(updated) });
	})
	.post("/domains/:id/test", async (c) => {
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const dest = await destinationOrProblem(domain, c.env);
		const result = await probe(dest, { heloName: c.env.RELAY_HOSTNAME });
		// Recorded: the setup checklist shows the last test of the destination now set.
		const now = c.var.clock.now();
		await audit(
			c,
			{
				customerId: domain.customerId,
				domainId: domain.id,
				kind: "domain.tested",
				detail: { host: dest.host, port: dest.port, ok: result.kind === "delivered", code: result.code, text: result.text },
			},
			now,
		);
		return c.json<ConnectionTest>({
			ok: result.kind === "delivered",
			outcome: { kind: result.kind, code: result.code, enhanced: result.enhanced, text: result.text },
			transcript: result.transcript,
		});
	})
	.post("/domains/:id/:action{hold|release|retry}", async (c) => {
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const action = c.req.param("action");
		const now = c.var.clock.now();
		const stub = domainRelay(c.env, domain.name);
		let detail: Pick<DomainActionResult, "outcome" | "text"> = {};
		if (action === "retry") {
			const result = await stub.retryNow();
			detail = { outcome: result.kind, text: result.text };
		} else {
			await c.var.db
				.update(domains)
				.set({ held: action === "hold" })
				.where(eq(domains.id, domain.id));
			await stub.configChanged();
		}
		await audit(c, { customerId: domain.customerId, domainId: domain.id, kind: `domain.${action}`, detail }, now);
		const status = await stub.status();
		return c.json<DomainActionResult>({
			id: domain.id,
			held: action === "hold" ? true : action === "release" ? false : domain.held,
			health: status.health.state,
			...detail,
		});
	})
	.get("/domains/:id/log", async (c) => {
		// The domain object's delivery log: a line per message and event, newest first.
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const limit = Number(c.req.query("limit") ?? 50);
		if (!Number.isInteger(limit) || limit < 1 || limit > 200)
			throw problem(400, "Invalid limit", "limit must be an integer from 1 to 200.");
		const cursor = c.req.query("cursor");
		if (cursor !== undefined && !/^\d{1,15}$/.test(cursor))
			throw problem(400, "Invalid cursor", "Use the nextCursor value of the previous page.");
		const rows = await domainRelay(c.env, domain.name).log(cursor ? Number(cursor) : null, limit + 1);
		const page = rows.slice(0, limit);
		return c.json<DeliveryLogPage>({
			entries: page.map((e) => ({ ...e, at: new Date(e.at).toISOString(), detail: e.detail ?? {} })),
			nextCursor: rows.length > limit ? String(page.at(-1)?.seq) : null,
		});
	})
	.get("/events", async (c) => {
		// The audit trail: ?kind=domain. (prefix), ?kind=queue.dead_letter, … (each domain's delivery log is its object's)
		const limit = Number(c.req.query("limit") ?? 50);
		if (!Number.isInteger(limit) || limit < 1 || limit > 200)
			throw problem(400, "Invalid limit", "limit must be an integer from 1 to 200.");
		const cursor = c.req.query("cursor");
		if (cursor !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(cursor))
			throw problem(400, "Invalid cursor", "Use the nextCursor value of the previous page.");
		const rows = await listCustomerEvents(c.var.db, c.var.customerId, {
			limit: limit + 1,
			...(c.req.query("kind") ? { kindPrefix: c.req.query("kind") } : {}),
			...(cursor ? { before: cursor } : {}),
		});
		const page = rows.slice(0, limit);
		return c.json<EventPage>({
			events: page.map((e) => ({
				id: e.id,
				kind: e.kind,
				at: new Date(e.createdAt).toISOString(),
				domainId: e.domainId,
				messageId: e.messageId,
				actorUserId: e.actorUserId,
				actor: e.actorEmail && e.actorRole ? { email: e.actorEmail, role: e.actorRole } : null,
				detail: JSON.parse(e.detail) as unknown,
			})),
			nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
		});
	})
	.post("/users/:id/view", ownCompanyOnly(), async (c) => {
		// Opening a user's Emergency Inbox: a reason is required, it is audited, and the session
		// is replaced (new token) by one that carries the view; read-only unless `act` is true.
		const target = await c.var.db.query.users.findFirst({
			where: and(eq(users.id, c.req.param("id")), eq(users.customerId, c.var.customerId)),
		});
		if (!target) throw problem(404, "User not found");
		const body = (await c.req.json().catch(() => null)) as { reason?: unknown; act?: unknown } | null;
		const reason = typeof body?.reason === "string" ? body.reason.trim() : "";
		if (reason.length < 5 || reason.length > 500)
			throw problem(422, "Reason required", "Say why you open this inbox (5 to 500 characters); it is recorded in the activity log.");
		const canAct = body?.act === true;
		const now = c.var.clock.now();
		await replaceSession(c, { userId: target.id, reason, canAct });
		await audit(c, { kind: "inbox.view_started", detail: { mailbox: target.email, reason, canAct }, ip: clientIp(c) }, now);
		return c.json<ViewStarted>({ viewing: { userId: target.id, email: target.email, reason, canAct } });
	})
	.delete("/view", async (c) => {
		const p = c.var.principal;
		if (!p.viewing) return c.body(null, 204);
		const now = c.var.clock.now();
		await replaceSession(c);
		await audit(c, { kind: "inbox.view_ended", detail: { mailbox: p.viewing.email } }, now);
		return c.body(null, 204);
	})
	.get("/events.csv", async (c) => {
		// The whole log (newest first, up to 10,000 rows per export; page with ?before=ID) for
		// spreadsheets and auditors. Every cell is quoted; leading =+-@ are neutralised so a
		// spreadsheet never evaluates a value from mail or a user as a formula.
		const before = c.req.query("before");
		if (before !== undefined && !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(before))
			throw problem(400, "Invalid cursor", "before must be an event id.");
		const rows = await listCustomerEvents(c.var.db, c.var.customerId, {
			limit: 10_000,
			...(c.req.query("kind") ? { kindPrefix: c.req.query("kind") } : {}),
			...(before ? { before } : {}),
		});
		const csv = csvDocument([
			["id", "time", "kind", "domain", "message", "actor", "actor_role", "ip", "detail"],
			...rows.map((e) => [
				e.id,
				new Date(e.createdAt).toISOString(),
				e.kind,
				e.domainId,
				e.messageId,
				e.actorEmail ?? e.actorUserId,
				e.actorRole,
				e.ip,
				e.detail,
			]),
		]);
		return c.body(csv, 200, {
			"Content-Type": "text/csv; charset=utf-8",
			"Content-Disposition": 'attachment; filename="activity.csv"',
		});
	})
	.post("/messages/:id/:action{retry|bounce}", async (c) => {
		const message = await findCustomerMessage(c.var.db, c.var.customerId, c.req.param("id"));
		if (!message) throw problem(404, "Message not found");
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, message.domainId);
		if (!domain) throw problem(404, "Message not found");
		const stub = domainRelay(c.env, domain.name);
		const action = c.req.param("action");
		const done =
			action === "retry"
				? await stub.retryMessage(message.id)
				: await stub.bounceMessage(message.id, "bounced by the domain's administrator");
		if (!done)
			throw problem(
				409,
				"Message is not held",
				`Only a held message can be ${action === "retry" ? "retried" : "bounced"}; this one is ${message.status}.`,
			);
		const now = c.var.clock.now();
		await audit(c, { customerId: domain.customerId, domainId: domain.id, messageId: message.id, kind: `message.${action}` }, now);
		return c.json<MessageActionResult>({ id: message.id, action: action as MessageActionResult["action"] });
	});
