// The FTS5 index (migrations/0003_add_search.sql). Drizzle does not model virtual tables,
// so these are raw statements, still parameterised.
import { sql } from "drizzle-orm";
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

export async function unindex(db: Db, messageIds: string[]) {
	if (messageIds.length === 0) return;
	await db.run(sql`DELETE FROM messages_fts WHERE message_id IN ${messageIds}`);
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
