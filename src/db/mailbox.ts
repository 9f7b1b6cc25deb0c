// A user's Emergency Inbox: folders, filters, search, bulk changes. Every query is scoped
// by the user id first, and only mail that belongs to the Emergency Inbox (held_at set:
// held during an outage, or sent from here) is ever listed or opened.
import { and, desc, eq, gte, isNotNull, lt, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client";
import { inJson } from "./in-json";
import { type Folder, messages } from "./schema";

export interface ListFilters {
	unread?: boolean;
	attachments?: boolean;
	/** Received at or after / before, Unix ms. */
	after?: number;
	before?: number;
}

const summaryColumns = {
	id: messages.id,
	folder: messages.folder,
	from: messages.fromHeader,
	to: messages.toHeader,
	subject: messages.subject,
	snippet: messages.snippet,
	sentAt: messages.sentAt,
	receivedAt: messages.receivedAt,
	size: messages.size,
	hasAttachments: messages.hasAttachments,
	seen: messages.seen,
	status: messages.status,
	parseError: messages.parseError,
};

function scope(userId: string, folder: Folder | "all", filters: ListFilters) {
	const where = [eq(messages.userId, userId), isNotNull(messages.heldAt)];
	return narrowed(where, folder, filters);
}

/**
 * These ids, if they are the user's and in the Emergency Inbox. The ids lead, by primary key:
 * `+user_id` keeps SQLite from walking the user's whole mailbox through
 * messages_held_mailbox_idx to filter it down to them (4.8 ms at 20,000 held, 17.5 at 100,000;
 * by primary key under 1 ms at either, `npm run bench:web`).
 */
function theirs(userId: string, ids: string[]) {
	return [inJson(messages.id, ids), sql`+${messages.userId} = ${userId}`, isNotNull(messages.heldAt)];
}

function narrowed(where: SQL[], folder: Folder | "all", filters: ListFilters) {
	if (folder !== "all") where.push(eq(messages.folder, folder));
	if (filters.unread) where.push(eq(messages.seen, false));
	if (filters.attachments) where.push(eq(messages.hasAttachments, true));
	if (filters.after !== undefined) where.push(gte(messages.receivedAt, filters.after));
	if (filters.before !== undefined) where.push(lt(messages.receivedAt, filters.before));
	return where;
}

/**
 * One page of a folder, newest first. Keyset pagination on the ULID primary key (arrival
 * order) through messages_held_mailbox_idx: page 1,000 costs what page 1 costs.
 */
export async function listFolder(db: Db, userId: string, folder: Folder, filters: ListFilters, limit: number, before?: string) {
	const where = scope(userId, folder, filters);
	if (before) where.push(lt(messages.id, before));
	return db
		.select(summaryColumns)
		.from(messages)
		.where(and(...where))
		.orderBy(desc(messages.id))
		.limit(limit);
}

/** The statement behind summariesOf, for a test to read its plan. */
export function summariesQuery(db: Db, userId: string, folder: Folder | "all", filters: ListFilters, ids: string[]) {
	return db
		.select(summaryColumns)
		.from(messages)
		.where(and(...narrowed(theirs(userId, ids), folder, filters)));
}

/**
 * Of these ids (a page of the mailbox object's search hits), the ones in the folder and filters,
 * in the order given: one query by primary key, scoped to the user like every other.
 */
export async function summariesOf(db: Db, userId: string, folder: Folder | "all", filters: ListFilters, ids: string[]) {
	if (ids.length === 0) return [];
	const rows = await summariesQuery(db, userId, folder, filters, ids);
	const byId = new Map(rows.map((r) => [r.id, r]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Unread messages in the inbox, for the folder list. */
export async function countUnread(db: Db, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(messages)
		.where(and(...scope(userId, "inbox", { unread: true })));
	return row?.n ?? 0;
}

/** A message of the Emergency Inbox only if `userId` owns it. */
export async function getOwnedMessage(db: Db, userId: string, id: string) {
	return db.query.messages.findFirst({ where: and(eq(messages.id, id), eq(messages.userId, userId), isNotNull(messages.heldAt)) });
}

/** Marks read or unread; returns how many of the user's messages changed. */
export async function setSeen(db: Db, userId: string, ids: string[], seen: boolean): Promise<number> {
	const res = await db
		.update(messages)
		.set({ seen })
		.where(and(...theirs(userId, ids)));
	return res.meta.changes;
}

/** Moves to Trash, remembering where from. */
export async function trash(db: Db, userId: string, ids: string[]): Promise<number> {
	const res = await db
		.update(messages)
		.set({ trashedFrom: sql`${messages.folder}`, folder: "trash" })
		.where(and(...theirs(userId, ids), ne(messages.folder, "trash")));
	return res.meta.changes;
}

/** Puts trashed messages back where they were. */
export async function restore(db: Db, userId: string, ids: string[]): Promise<number> {
	const res = await db
		.update(messages)
		.set({ folder: sql`coalesce(${messages.trashedFrom}, 'inbox')`, trashedFrom: null })
		.where(and(...theirs(userId, ids), eq(messages.folder, "trash")));
	return res.meta.changes;
}
