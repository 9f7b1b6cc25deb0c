// The SQL behind a domain's report. The counts per hour live in the domain's object (its
// `hourly` table, kept as mail moves: DomainRelay.reportCounts), so a report reads at most one
// row per hour of its period, whatever the mail; D1 gives only the health and hold transitions.
// SEED_SQL is what an object that began counting late (an existing deployment's) reads once to
// count what happened before: every inbound message of its domain, grouped by hour. Its own
// module, free of worker types, so the benchmark runs the very same text in node:sqlite as its
// floor and the tests read its query plans.

export const HOUR_MS = 3_600_000;

/**
 * ?1 domain, ?2 customer (the domain already checked to be the customer's), ?3 the instant the
 * object began counting: each event is taken here only if it happened before, by the very
 * timestamp the object counts it by afterwards, so nothing is counted twice or missed.
 */
export const SEED_SQL = {
	/** Received, and of those how many were held (by arrival): messages_domain_received_idx. */
	received: `SELECT CAST(received_at / ${HOUR_MS} AS INTEGER) AS hour, count(*) AS received,
			sum(held_at IS NOT NULL AND held_at < ?3) AS held
		FROM messages
		WHERE domain_id = ?1 AND received_at < ?3 AND customer_id = ?2 AND direction = 'in'
		GROUP BY hour`,
	/** Held, then delivered: in the hour of delivered_at. */
	delivered: `SELECT CAST(delivered_at / ${HOUR_MS} AS INTEGER) AS hour, count(*) AS n
		FROM messages
		WHERE domain_id = ?1 AND customer_id = ?2 AND direction = 'in' AND held_at IS NOT NULL AND delivered_at < ?3
		GROUP BY hour`,
	/**
	 * Bounced: in the hour of updated_at, the message's last change (bounced is final, so it is
	 * when it bounced, whichever path bounced it). Through messages_domain_status_idx, named:
	 * bounces are the exception.
	 */
	bounced: `SELECT CAST(updated_at / ${HOUR_MS} AS INTEGER) AS hour, count(*) AS n
		FROM messages INDEXED BY messages_domain_status_idx
		WHERE domain_id = ?1 AND status = 'bounced' AND customer_id = ?2 AND direction = 'in' AND updated_at < ?3
		GROUP BY hour`,
} as const;

/**
 * The domain's health and hold transitions up to the period's end, oldest first: the state at
 * the period's start needs the ones before it. events_domain_kind_idx reads this domain's
 * transitions and nothing else. Named, because left to itself SQLite may prefer
 * events_customer_idx: every event of the customer.
 * ?1 customer, ?2 domain, ?3 period end (exclusive).
 */
export const TRANSITIONS_SQL = `SELECT kind, created_at AS at, detail
	FROM events INDEXED BY events_domain_kind_idx
	WHERE kind IN ('domain.down', 'domain.up', 'domain.hold', 'domain.release') AND customer_id = ?1 AND domain_id = ?2 AND created_at < ?3
	ORDER BY created_at, id`;

/** What a bucket counts; see the definitions in docs/reports.md and on the Reports page. */
export interface ReportCounts {
	/** Inbound messages received in the bucket. */
	received: number;
	/** Of those, how many were held here at some point (outage, maintenance hold, no destination). */
	held: number;
	/** Messages that had been held and were then delivered, counted when delivered. */
	deliveredAfterRecovery: number;
	/** Messages that bounced (refused for good, expired or bounced by an admin), counted when they bounced. */
	bounced: number;
}

/** One hour's counts (hour: whole hours since 1970, UTC). */
export interface HourCounts extends ReportCounts {
	hour: number;
}

/** Bound parameters for SEED_SQL, in its order. */
export function seedParams(domain: { id: string; customerId: string }, countingFrom: number) {
	return [domain.id, domain.customerId, countingFrom];
}

/** Rows of the three SEED_SQL statements merged into one entry per hour. */
export function mergeSeed(
	received: { hour: number; received: number; held: number }[],
	delivered: { hour: number; n: number }[],
	bounced: { hour: number; n: number }[],
): HourCounts[] {
	const hours = new Map<number, HourCounts>();
	const at = (hour: number) => {
		const h = hours.get(hour) ?? { hour, received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0 };
		hours.set(hour, h);
		return h;
	};
	for (const r of received) Object.assign(at(r.hour), { received: r.received, held: r.held });
	for (const r of delivered) at(r.hour).deliveredAfterRecovery = r.n;
	for (const r of bounced) at(r.hour).bounced = r.n;
	return [...hours.values()];
}

/** Hours spread over every bucket of the window, zeros included. */
export function bucketize(hours: HourCounts[], w: { start: number; end: number; bucketMs: number }): ReportCounts[] {
	const count = Math.ceil((w.end - w.start) / w.bucketMs);
	const buckets: ReportCounts[] = Array.from({ length: count }, () => ({ received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0 }));
	for (const h of hours) {
		const b = buckets[Math.floor((h.hour * HOUR_MS - w.start) / w.bucketMs)];
		if (!b) continue;
		b.received += h.received;
		b.held += h.held;
		b.deliveredAfterRecovery += h.deliveredAfterRecovery;
		b.bounced += h.bounced;
	}
	return buckets;
}
