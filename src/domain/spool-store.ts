// The domain object's own SQLite (ctx.storage.sql): the spool index, its batches and a small
// key-value table (the domain's name, its health, the next probe). Synchronous, like the API
// under it, so a handler's reads and writes cannot interleave with another's.
import { HOUR_MS, type HourCounts } from "../db/report-sql";
import { MIGRATIONS, SPOOL_SCHEMA } from "./spool-sql";

/** One line of the delivery log. */
export interface LogEntry {
	messageId: string;
	recipient: string;
	kind: "received" | "delivered" | "deferred" | "bounced" | "dsn.sent" | "dsn.skipped" | "dsn.refused";
	detail?: Record<string, string | number | boolean | null>;
}

export interface LoggedEntry extends LogEntry {
	seq: number;
	at: number;
}

export type HourMeasure = keyof Omit<HourCounts, "hour">;

/** What spool_counts holds: the spool by state (waiting includes deferred), and totals since the object began. */
export type Tally = "waiting" | "inflight" | "deferred" | "delivered" | "bounced";

export class SpoolStore {
	/**
	 * Rows read and written since the object started, as SQLite counts them: tests hold each
	 * call to a bound that does not grow with the spool (issue #11).
	 */
	readonly io = { rowsRead: 0, rowsWritten: 0 };

	constructor(private readonly storage: SqlStorage) {
		storage.exec(SPOOL_SCHEMA);
		this.migrate();
	}

	sql<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlStorageValue[]): T[] {
		const cursor = this.storage.exec<T>(query, ...params);
		const rows = cursor.toArray();
		this.io.rowsRead += cursor.rowsRead;
		this.io.rowsWritten += cursor.rowsWritten;
		return rows;
	}

	remember(key: string, value: string): void {
		this.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
	}

	recall(key: string): string | null {
		return this.sql<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)[0]?.value ?? null;
	}

	recallNumber(key: string): number | null {
		const v = this.recall(key);
		return v ? Number(v) : null;
	}

	/** Kept by triggers on the spool (spool-sql.ts), so counting never scans it. */
	count(state: Tally): number {
		return this.sql<{ n: number }>("SELECT n FROM spool_counts WHERE state = ?", state)[0]?.n ?? 0;
	}

	/** All of them in one read. */
	counts(): Record<Tally, number> {
		const all: Record<Tally, number> = { waiting: 0, inflight: 0, deferred: 0, delivered: 0, bounced: 0 };
		for (const r of this.sql<{ state: Tally; n: number }>("SELECT state, n FROM spool_counts")) all[r.state] = r.n;
		return all;
	}

	/** Mail that left the spool for good: the object counts it, no trigger can tell why a row went. */
	tally(outcome: "delivered" | "bounced", n: number): void {
		if (n > 0) this.sql("UPDATE spool_counts SET n = n + ? WHERE state = ?", n, outcome);
	}

	/** Adds to one hour's report count (`at`: the instant whose UTC hour it belongs to). */
	countHour(measure: HourMeasure, at: number, n = 1): void {
		if (n <= 0) return;
		this.addHours([{ hour: Math.floor(at / HOUR_MS), received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0, [measure]: n }]);
	}

	/** Adds whole hours of counts: one upsert per hour. */
	addHours(hours: HourCounts[]): void {
		for (const h of hours)
			this.sql(
				`INSERT INTO hourly (hour, received, held, delivered_after, bounced) VALUES (?, ?, ?, ?, ?)
				 ON CONFLICT (hour) DO UPDATE SET received = received + excluded.received, held = held + excluded.held,
				   delivered_after = delivered_after + excluded.delivered_after, bounced = bounced + excluded.bounced`,
				h.hour,
				h.received,
				h.held,
				h.deliveredAfterRecovery,
				h.bounced,
			);
	}

	/** The report counts of hours `from` to `to` (inclusive), those with any; one row read per hour at most. */
	hours(from: number, to: number): HourCounts[] {
		return this.sql<{ hour: number; received: number; held: number; delivered_after: number; bounced: number }>(
			"SELECT * FROM hourly WHERE hour BETWEEN ? AND ? ORDER BY hour",
			from,
			to,
		).map((r) => ({ hour: r.hour, received: r.received, held: r.held, deliveredAfterRecovery: r.delivered_after, bounced: r.bounced }));
	}

	/** The object's SQLite file, pages included: what counts against its storage limit. */
	get sizeBytes(): number {
		return this.storage.databaseSize;
	}

	/** Appends to the delivery log; the last time of each kind is kept for the setup checklist. */
	log(at: number, entries: LogEntry[]): void {
		for (const e of entries) {
			this.sql(
				"INSERT INTO log (at, message_id, recipient, kind, detail) VALUES (?, ?, ?, ?, ?)",
				at,
				e.messageId,
				e.recipient,
				e.kind,
				JSON.stringify(e.detail ?? {}),
			);
		}
		for (const kind of new Set(entries.map((e) => e.kind))) this.remember(`last.${kind}`, String(at));
	}

	/** The log newest first, keyset on seq. */
	logPage(before: number | null, limit: number): LoggedEntry[] {
		return this.sql<{ seq: number; at: number; message_id: string; recipient: string; kind: LogEntry["kind"]; detail: string }>(
			"SELECT * FROM log WHERE seq < ? ORDER BY seq DESC LIMIT ?",
			before ?? Number.MAX_SAFE_INTEGER,
			limit,
		).map((r) => ({ seq: r.seq, at: r.at, messageId: r.message_id, recipient: r.recipient, kind: r.kind, detail: JSON.parse(r.detail) }));
	}

	/** Drops up to `limit` entries older than `cutoff` (through log_at); returns how many. */
	pruneLog(cutoff: number, limit: number): number {
		return this.sql("DELETE FROM log WHERE seq IN (SELECT seq FROM log WHERE at < ? ORDER BY at LIMIT ?) RETURNING seq", cutoff, limit)
			.length;
	}

	/** When the oldest entry was written, or null for an empty log. */
	oldestLogAt(): number | null {
		return this.sql<{ t: number | null }>("SELECT min(at) AS t FROM log")[0]?.t ?? null;
	}

	/** A delivered body this object drops when its retention ends (DomainRelay.dropBodies); once per message. */
	keepBody(messageId: string, deliveredAt: number, held: boolean): void {
		this.sql(
			"INSERT INTO bodies (message_id, delivered_at, held) VALUES (?, ?, ?) ON CONFLICT (message_id) DO NOTHING",
			messageId,
			deliveredAt,
			held ? 1 : 0,
		);
	}

	batchExists(id: string): boolean {
		return this.sql("SELECT 1 FROM batches WHERE id = ?", id).length > 0;
	}

	/** Brings an object created by older code up to the current schema, in its constructor, before any call. */
	private migrate(): void {
		const version = Number(this.recall("schemaVersion") ?? 1);
		for (const step of MIGRATIONS) {
			if (step.version <= version) continue;
			for (const c of step.columns) {
				const present = this.sql("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", c.table, c.name).length > 0;
				if (!present) this.storage.exec(`ALTER TABLE ${c.table} ADD COLUMN ${c.name} ${c.definition}`);
			}
			this.storage.exec(step.sql);
			this.remember("schemaVersion", String(step.version));
		}
	}
}
