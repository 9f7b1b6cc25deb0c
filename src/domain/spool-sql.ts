// The Durable Object's own tables: the domain's health and its spool index. D1 keeps the
// messages; this keeps only what the schedule needs, so an alarm never scans D1.

/** Version 1, as the first objects created it; later versions are MIGRATIONS applied on top. */
export const SPOOL_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS spool (
	message_id TEXT PRIMARY KEY,
	recipient TEXT NOT NULL,
	received_at INTEGER NOT NULL,
	-- waiting: due at next_attempt_at; inflight: in delivery batch batch_id
	state TEXT NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	warnings_sent INTEGER NOT NULL DEFAULT 0,
	held INTEGER NOT NULL DEFAULT 0,
	batch_id TEXT
);
CREATE INDEX IF NOT EXISTS spool_order ON spool (state, received_at, message_id);
CREATE INDEX IF NOT EXISTS spool_batch ON spool (batch_id);
CREATE TABLE IF NOT EXISTS batches (id TEXT PRIMARY KEY, dispatched_at INTEGER NOT NULL, lease_until INTEGER NOT NULL);
`;

/**
 * Each step brings an object from the version before it to its own; statements are
 * idempotent (a step interrupted and re-run does no harm), and the version is kept in
 * `meta` (key `schemaVersion`, absent = 1). `columns` are added first, when missing.
 */
export const MIGRATIONS: { version: number; columns: { table: string; name: string; definition: string }[]; sql: string }[] = [
	{
		// Every call reads only what is due (issue #11): an index per question the schedule
		// asks, and counters kept by triggers in the statement that changes the row.
		version: 2,
		columns: [
			// min(expiry, next delay warning); 0 = look at this row now (an old row, not yet computed).
			{ table: "spool", name: "next_event_at", definition: "INTEGER NOT NULL DEFAULT 0" },
		],
		sql: `
CREATE INDEX IF NOT EXISTS spool_due ON spool (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS spool_events ON spool (state, next_event_at);
CREATE INDEX IF NOT EXISTS spool_held ON spool (state, held);
CREATE TABLE IF NOT EXISTS spool_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);
DELETE FROM spool_counts;
INSERT INTO spool_counts (state, n) VALUES ('waiting', 0), ('inflight', 0);
UPDATE spool_counts SET n = (SELECT count(*) FROM spool WHERE spool.state = spool_counts.state);
CREATE TRIGGER IF NOT EXISTS spool_count_insert AFTER INSERT ON spool BEGIN
	UPDATE spool_counts SET n = n + 1 WHERE state = NEW.state;
END;
CREATE TRIGGER IF NOT EXISTS spool_count_delete AFTER DELETE ON spool BEGIN
	UPDATE spool_counts SET n = n - 1 WHERE state = OLD.state;
END;
CREATE TRIGGER IF NOT EXISTS spool_count_state AFTER UPDATE OF state ON spool WHEN OLD.state <> NEW.state BEGIN
	UPDATE spool_counts SET n = n - 1 WHERE state = OLD.state;
	UPDATE spool_counts SET n = n + 1 WHERE state = NEW.state;
END;
`,
	},
	{
		// What the dashboards show without reading D1's messages (issue #11): mail waiting after
		// a failed attempt (deferred), kept by a trigger like the other counts; delivered and
		// bounced, counted by the object as mail leaves the spool. An object that held mail
		// before this version starts them from D1 once (DomainRelay.seedTallies).
		version: 3,
		columns: [],
		sql: `
INSERT INTO spool_counts (state, n) VALUES ('deferred', 0), ('delivered', 0), ('bounced', 0) ON CONFLICT (state) DO NOTHING;
UPDATE spool_counts SET n = (SELECT count(*) FROM spool WHERE state = 'waiting' AND attempts > 0) WHERE state = 'deferred';
CREATE TRIGGER IF NOT EXISTS spool_count_deferred_insert AFTER INSERT ON spool WHEN NEW.state = 'waiting' AND NEW.attempts > 0 BEGIN
	UPDATE spool_counts SET n = n + 1 WHERE state = 'deferred';
END;
CREATE TRIGGER IF NOT EXISTS spool_count_deferred_delete AFTER DELETE ON spool WHEN OLD.state = 'waiting' AND OLD.attempts > 0 BEGIN
	UPDATE spool_counts SET n = n - 1 WHERE state = 'deferred';
END;
CREATE TRIGGER IF NOT EXISTS spool_count_deferred_update AFTER UPDATE OF state, attempts ON spool
	WHEN (OLD.state = 'waiting' AND OLD.attempts > 0) <> (NEW.state = 'waiting' AND NEW.attempts > 0) BEGIN
	UPDATE spool_counts SET n = n + (CASE WHEN NEW.state = 'waiting' AND NEW.attempts > 0 THEN 1 ELSE -1 END) WHERE state = 'deferred';
END;
`,
	},
	{
		// The domain's delivery log (issue #11): what happened to each message, here beside the
		// spool that decides it, not in the company's audit log (D1 events), which grows with
		// what people do and not with mail. Kept LOG_RETENTION_MS, dropped by the object's alarm.
		version: 4,
		columns: [],
		sql: `
CREATE TABLE IF NOT EXISTS log (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	at INTEGER NOT NULL,
	message_id TEXT NOT NULL,
	recipient TEXT NOT NULL,
	-- received | delivered | deferred | bounced | dsn.sent | dsn.skipped | dsn.refused
	kind TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS log_at ON log (at);
CREATE INDEX IF NOT EXISTS log_message ON log (message_id, seq);
`,
	},
	{
		// Bodies kept after delivery, each until its retention ends (issue #11): the object's alarm
		// drops them, not a cron scan over every company's delivered mail. `held` picks the window
		// (retain_held_seconds or retain_delivered_seconds), read from the policy when due, so a
		// changed policy applies to mail already delivered too.
		version: 5,
		columns: [],
		sql: `
CREATE TABLE IF NOT EXISTS bodies (message_id TEXT PRIMARY KEY, delivered_at INTEGER NOT NULL, held INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bodies_due ON bodies (held, delivered_at);
`,
	},
	{
		// The domain's report counts per UTC hour (issue #11), kept as mail moves: a report reads
		// one row per hour of its period, never the messages. Received and held by arrival,
		// delivered after being held and bounced when it happened. Counting begins when the
		// object does (meta `hourlyFrom`); what came before is read from D1 once (`hourlySeeded`).
		version: 6,
		columns: [],
		sql: `
CREATE TABLE IF NOT EXISTS hourly (
	hour INTEGER PRIMARY KEY,
	received INTEGER NOT NULL DEFAULT 0,
	held INTEGER NOT NULL DEFAULT 0,
	delivered_after INTEGER NOT NULL DEFAULT 0,
	bounced INTEGER NOT NULL DEFAULT 0
);
`,
	},
];

export type SpoolRow = {
	message_id: string;
	recipient: string;
	received_at: number;
	state: "waiting" | "inflight";
	next_attempt_at: number;
	attempts: number;
	warnings_sent: number;
	held: number;
	batch_id: string | null;
	next_event_at: number;
};
