// The SQL behind a domain's report: one grouped query per measure over the whole period (never
// one per bucket). Its own module, free of worker types, so the benchmark runs the very same text
// in node:sqlite as its floor and the tests read its query plans; ./reports sends it to D1.
//
// Every query takes the customer id and the domain id (the domain already checked to be the
// customer's). Buckets are fixed lengths from the period's start: UTC has no DST, so
// (t - start) / length is a UTC hour or a UTC day; CAST keeps it whole if D1 binds a REAL.

/**
 * A held message leaves the spool within the domain's lifetime (at most 30 days, see
 * validatePolicy) — delivered, refused or expired — so it is delivered or bounced within 30
 * days of arrival; a day more for a batch still in flight. This bounds the delivered query to
 * a range of messages_domain_received_idx instead of the domain's history (and the bounced one too).
 */
export const SETTLE_MS = 31 * 86_400_000;

// ?1 period start, ?2 bucket length, ?3 customer, ?4 domain, ?5 period end (exclusive),
// ?6 earliest arrival that can settle in the period (start − SETTLE_MS).
export const REPORT_SQL = {
	/** Received in the bucket, and of those how many were held: messages_domain_received_idx. */
	received: `SELECT CAST((received_at - ?1) / ?2 AS INTEGER) AS bucket, count(*) AS received, count(held_at) AS held
		FROM messages
		WHERE domain_id = ?4 AND received_at >= ?1 AND received_at < ?5 AND customer_id = ?3 AND direction = 'in'
		GROUP BY bucket`,
	/** Held, then delivered: in the bucket of delivered_at. */
	delivered: `SELECT CAST((delivered_at - ?1) / ?2 AS INTEGER) AS bucket, count(*) AS n
		FROM messages
		WHERE domain_id = ?4 AND received_at >= ?6 AND received_at < ?5 AND customer_id = ?3 AND direction = 'in'
			AND held_at IS NOT NULL AND delivered_at >= ?1 AND delivered_at < ?5
		GROUP BY bucket`,
	/**
	 * Bounced: in the bucket of updated_at. The bounce is the message's last change (every
	 * writer of updated_at changes status or drops a delivered body; bounced is final and never
	 * delivered), so updated_at is when it bounced, whichever path bounced it: the server's 5xx,
	 * the 30-day expiry or an admin. (Neither deliveries nor events record all three.)
	 * Through messages_domain_status_idx, named: bounces are the exception, so reading the
	 * domain's bounces beats reading every message in the window, which SQLite would pick.
	 */
	bounced: `SELECT CAST((updated_at - ?1) / ?2 AS INTEGER) AS bucket, count(*) AS n
		FROM messages INDEXED BY messages_domain_status_idx
		WHERE domain_id = ?4 AND received_at >= ?6 AND received_at < ?5 AND customer_id = ?3 AND direction = 'in'
			AND status = 'bounced' AND updated_at >= ?1 AND updated_at < ?5
		GROUP BY bucket`,
	/**
	 * The domain's health and hold transitions up to the period's end, oldest first: the state at
	 * the period's start needs the ones before it. events_domain_kind_idx reads this domain's
	 * transitions and nothing else. Named, because left to itself SQLite may prefer
	 * events_customer_idx: every event of the customer, a delivery.* row per message among them.
	 */
	transitions: `SELECT kind, created_at AS at, detail
		FROM events INDEXED BY events_domain_kind_idx
		WHERE kind IN ('domain.down', 'domain.up', 'domain.hold', 'domain.release') AND customer_id = ?1 AND domain_id = ?2 AND created_at < ?3
		ORDER BY created_at, id`,
} as const;

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

export interface ReportWindow {
	customerId: string;
	domainId: string;
	start: number;
	end: number;
	bucketMs: number;
}

/** Bound parameters for REPORT_SQL, in its order. */
export function reportParams(w: ReportWindow) {
	const counts = [w.start, w.bucketMs, w.customerId, w.domainId, w.end];
	return {
		received: counts,
		delivered: [...counts, w.start - SETTLE_MS],
		bounced: [...counts, w.start - SETTLE_MS],
		transitions: [w.customerId, w.domainId, w.end],
	};
}
