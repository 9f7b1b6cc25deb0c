// The FTS5 index (migrations/0003_add_search.sql). Drizzle does not model virtual tables,
// so these are raw statements, still parameterised.
import type { Db, RawStatement } from "./client";

/**
 * The mailbox's token in the index: "o" + hex of the user id. Hex keeps it one unicode61
 * token that no other id can contain, so `owner:<token>` matches one mailbox exactly.
 */
export function ownerToken(userId: string): string {
	return `o${Array.from(new TextEncoder().encode(userId), (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

interface Indexed {
	id: string;
	userId: string;
	subject?: string | null;
	fromHeader?: string | null;
	toHeader?: string | null;
	ccHeader?: string | null;
}

/** The index entry for one message in its owner's mailbox, as a raw statement for batchAtomically(). */
export function indexStatement(message: Indexed, body: string): RawStatement {
	const addresses = [message.fromHeader, message.toHeader, message.ccHeader].filter(Boolean).join(" ");
	return {
		sql: "INSERT INTO messages_fts (owner, subject, addresses, body, message_id) VALUES (?, ?, ?, ?, ?)",
		params: [ownerToken(message.userId), message.subject ?? "", addresses, body, message.id],
	};
}

/**
 * Removes the index entries of these messages, as a raw statement for batchAtomically(). The ids
 * travel as ONE JSON parameter: D1 refuses a statement with more than 100 bound parameters
 * (developers.cloudflare.com/d1/platform/limits), so an `IN (?, ?, …)` list breaks past 100 ids.
 */
export function unindexStatement(messageIds: string[]): RawStatement {
	return { sql: "DELETE FROM messages_fts WHERE message_id IN (SELECT value FROM json_each(?))", params: [JSON.stringify(messageIds)] };
}

/** Any number of ids, one statement. */
export async function unindex(db: Db, messageIds: string[]) {
	if (messageIds.length === 0) return;
	const { sql, params } = unindexStatement(messageIds);
	await db.$client
		.prepare(sql)
		.bind(...params)
		.run();
}

/**
 * Turns what a person types into an FTS5 query that cannot inject syntax: each word becomes
 * a quoted prefix term, all of them required. Returns null when nothing searchable is left.
 */
export function ftsQuery(userId: string, input: string): string | null {
	const words = input
		.normalize("NFKC")
		.split(/[^\p{L}\p{N}@._-]+/u)
		.map((w) => w.replace(/["]/g, "").trim())
		.filter((w) => w.length > 0)
		.slice(0, 12);
	if (words.length === 0) return null;
	return `owner:${ownerToken(userId)} AND (${words.map((w) => `"${w}"*`).join(" AND ")})`;
}
