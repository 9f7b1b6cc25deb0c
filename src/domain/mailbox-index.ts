// One Durable Object per mailbox (idFromName(user id)): the full-text index of that person's
// Emergency Inbox, in the object's own SQLite (docs/decisions/sharding.md). A search reads this
// mailbox's postings and nothing else; the index keeps no copy of the text (FTS5 contentless),
// and a message leaves it by its rowid, through `docs`. Every call is idempotent: ingest and the
// rebuild job may index a message twice, purges may drop it twice.
import { DurableObject } from "cloudflare:workers";
import { decodeTime } from "ulid";

/** What is searched for one message; the body is capped by the parser (MAX_INDEXED_TEXT). */
export interface IndexEntry {
	messageId: string;
	subject: string;
	/** From, To and Cc as written. */
	addresses: string;
	body: string;
}

/** A match, newest first: `doc` orders the results and is the next page's cursor. */
export interface SearchHit {
	messageId: string;
	doc: number;
}

const SCHEMA = `
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
	subject, addresses, body,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
CREATE TABLE IF NOT EXISTS docs (message_id TEXT PRIMARY KEY, doc INTEGER NOT NULL UNIQUE);
`;

/**
 * Docs of one millisecond: a message's doc is its ULID's time × DOCS_PER_MS plus a counter, so
 * results come newest first by arrival even when older mail is indexed later (the rebuild).
 */
const DOCS_PER_MS = 4096;

export class MailboxIndex extends DurableObject<Env> {
	/** Rows SQLite read and wrote since the object started: tests hold calls to bounds. */
	readonly io = { rowsRead: 0, rowsWritten: 0 };

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		ctx.storage.sql.exec(SCHEMA);
	}

	/** Adds what is not indexed yet; returns how many were new. */
	async index(entries: IndexEntry[]): Promise<number> {
		let added = 0;
		for (const e of entries) {
			if (this.sql("SELECT 1 FROM docs WHERE message_id = ?", e.messageId).length > 0) continue;
			const base = decodeTime(e.messageId) * DOCS_PER_MS;
			let doc = this.sql<{ d: number }>(
				`SELECT coalesce(max(doc) + 1, ?1) AS d FROM docs WHERE doc >= ?1 AND doc < ?1 + ${DOCS_PER_MS}`,
				base,
			)[0]?.d as number;
			// More than DOCS_PER_MS in one millisecond spill into the next: still unique, still in order.
			while (this.sql("SELECT 1 FROM docs WHERE doc = ?", doc).length > 0) doc += 1;
			const [row] = this.sql<{ doc: number }>("INSERT INTO docs (message_id, doc) VALUES (?, ?) RETURNING doc", e.messageId, doc);
			if (!row) continue;
			this.sql("INSERT INTO search (rowid, subject, addresses, body) VALUES (?, ?, ?, ?)", row.doc, e.subject, e.addresses, e.body);
			added += 1;
		}
		return added;
	}

	/** Drops these messages' entries (a body purged, a message gone); unknown ids are ignored. */
	async unindex(messageIds: string[]): Promise<number> {
		let dropped = 0;
		for (const id of messageIds) {
			const [row] = this.sql<{ doc: number }>("DELETE FROM docs WHERE message_id = ? RETURNING doc", id);
			if (!row) continue;
			this.sql("DELETE FROM search WHERE rowid = ?", row.doc);
			dropped += 1;
		}
		return dropped;
	}

	/** Up to `limit` matches for what a person typed, newest first, older than `before` when given. */
	async search(text: string, before: number | null, limit: number): Promise<SearchHit[]> {
		const match = matchQuery(text);
		if (!match) return [];
		return this.sql<{ messageId: string; doc: number }>(
			`SELECT docs.message_id AS messageId, docs.doc AS doc FROM search JOIN docs ON docs.doc = search.rowid
			 WHERE search MATCH ? AND search.rowid < ? ORDER BY search.rowid DESC LIMIT ?`,
			match,
			before ?? Number.MAX_SAFE_INTEGER,
			limit,
		);
	}

	/** The mailbox's owner is gone: nothing of the index stays (its words included), only empty tables. */
	async clear(): Promise<void> {
		await this.ctx.storage.deleteAll();
		this.ctx.storage.sql.exec(SCHEMA);
	}

	/** How many messages the index holds. */
	async size(): Promise<number> {
		return this.sql<{ n: number }>("SELECT count(*) AS n FROM docs")[0]?.n ?? 0;
	}

	private sql<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlStorageValue[]): T[] {
		const cursor = this.ctx.storage.sql.exec<T>(query, ...params);
		const rows = cursor.toArray();
		this.io.rowsRead += cursor.rowsRead;
		this.io.rowsWritten += cursor.rowsWritten;
		return rows;
	}
}

/**
 * Turns what a person types into an FTS5 query that cannot inject syntax: each word becomes
 * a quoted prefix term, all of them required. Null when nothing searchable is left.
 */
export function matchQuery(input: string): string | null {
	const words = input
		.normalize("NFKC")
		.split(/[^\p{L}\p{N}@._-]+/u)
		.map((w) => w.replace(/["]/g, "").trim())
		.filter((w) => w.length > 0)
		.slice(0, 12);
	if (words.length === 0) return null;
	return words.map((w) => `"${w}"*`).join(" AND ");
}

/** The entry for one stored message, from its parsed headers and body text. */
export function indexEntry(
	messageId: string,
	m: { subject?: string | null; fromHeader?: string | null; toHeader?: string | null; ccHeader?: string | null },
	body: string,
): IndexEntry {
	return {
		messageId,
		subject: m.subject ?? "",
		addresses: [m.fromHeader, m.toHeader, m.ccHeader].filter(Boolean).join(" "),
		body,
	};
}

/** The mailbox's index object. */
export function mailboxIndex(env: Env, userId: string) {
	return env.MAILBOX.get(env.MAILBOX.idFromName(userId));
}
