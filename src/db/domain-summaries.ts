// Per-domain summaries (schema.ts domainSummaries): written by the domain's object, read by the
// views that span many domains. Their size follows the number of domains, never the mail.
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { customers, domainSummaries, domains, messages } from "./schema";

export type DomainSummary = typeof domainSummaries.$inferSelect;

/** What the object publishes; the customer comes from the domain's row. */
export type PublishedSummary = Omit<DomainSummary, "customerId">;

/**
 * Upserts the domain's summary. Through a SELECT on domains: a domain deleted meanwhile gets
 * no row (and no foreign-key error); a write older than the stored one changes nothing.
 */
export async function publishSummary(db: Db, s: PublishedSummary): Promise<void> {
	await db.run(sql`
		INSERT INTO domain_summaries (domain_id, customer_id, health, health_since, last_error, waiting, inflight, deferred, delivered, bounced, storage_bytes, updated_at)
		SELECT id, customer_id, ${s.health}, ${s.healthSince}, ${s.lastError}, ${s.waiting}, ${s.inflight}, ${s.deferred}, ${s.delivered}, ${s.bounced}, ${s.storageBytes}, ${s.updatedAt}
		FROM domains WHERE id = ${s.domainId}
		ON CONFLICT (domain_id) DO UPDATE SET
			health = excluded.health, health_since = excluded.health_since, last_error = excluded.last_error,
			waiting = excluded.waiting, inflight = excluded.inflight, deferred = excluded.deferred,
			delivered = excluded.delivered, bounced = excluded.bounced, storage_bytes = excluded.storage_bytes,
			updated_at = excluded.updated_at
		WHERE excluded.updated_at >= domain_summaries.updated_at`);
}

/**
 * Delivered and bounced mail of one domain so far, through messages_domain_status_idx: read
 * once per object, when an object from before the summaries starts counting (seedTallies).
 */
export async function settledCounts(db: Db, domainId: string): Promise<{ delivered: number; bounced: number }> {
	const rows = await db
		.select({ status: messages.status, n: count() })
		.from(messages)
		.where(and(eq(messages.domainId, domainId), eq(messages.direction, "in"), sql`${messages.status} IN ('delivered', 'bounced')`))
		.groupBy(messages.status);
	const of = (status: string) => rows.find((r) => r.status === status)?.n ?? 0;
	return { delivered: of("delivered"), bounced: of("bounced") };
}

/**
 * A partner's customers (or one of them) with each domain and its summary, in one query
 * through customers_partner_idx and domains_customer_idx: no id lists, no per-domain call.
 * A domain whose object never published (no mail yet) has a null summary.
 */
export function partnerDomains(db: Db, partnerId: string, customerId?: string) {
	return db
		.select({
			customerId: customers.id,
			customerName: customers.name,
			domain: { id: domains.id, displayName: domains.displayName, held: domains.held, deliveryHost: domains.deliveryHost },
			summary: {
				health: domainSummaries.health,
				waiting: domainSummaries.waiting,
				inflight: domainSummaries.inflight,
				storageBytes: domainSummaries.storageBytes,
			},
		})
		.from(customers)
		.leftJoin(domains, eq(domains.customerId, customers.id))
		.leftJoin(domainSummaries, eq(domainSummaries.domainId, domains.id))
		.where(and(eq(customers.partnerId, partnerId), ...(customerId ? [eq(customers.id, customerId)] : [])))
		.orderBy(asc(customers.name), asc(customers.id), asc(domains.name));
}

/** Per partner: its customers, their domains, how many are down and how much mail is held. */
export async function partnerTotals(db: Db) {
	return db
		.select({
			partnerId: customers.partnerId,
			customers: sql<number>`count(DISTINCT ${customers.id})`,
			domains: count(domains.id),
			domainsDown: sql<number>`coalesce(sum(NOT ${domains.held} AND (${domainSummaries.health} = 'down' OR ${domains.deliveryHost} IS NULL)), 0)`,
			held: sql<number>`coalesce(sum(${domainSummaries.waiting} + ${domainSummaries.inflight}), 0)`,
		})
		.from(customers)
		.leftJoin(domains, eq(domains.customerId, customers.id))
		.leftJoin(domainSummaries, eq(domainSummaries.domainId, domains.id))
		.groupBy(customers.partnerId);
}
