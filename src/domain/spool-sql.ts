// The Durable Object's own tables: the domain's health and its spool index. D1 keeps the
// messages; this keeps only what the schedule needs, so an alarm never scans D1.
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
};
