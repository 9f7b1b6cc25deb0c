// The signed-in user's own Emergency Inbox. Every lookup is scoped to the principal's user
// id: another user's message id answers 404, exactly like a message that does not exist.

import { and, eq, like, or } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { headerBlock } from "../bounce/loop-guard";
import { countUnread, getOwnedMessage, type ListFilters, listFolder, restore, setSeen, summariesOf, trash } from "../db/mailbox";
import { deliveries, users } from "../db/schema";
import { domainRelay } from "../domain/domain-relay";
import { mailboxIndex } from "../domain/mailbox-index";
import { formatAddress, formatAddresses, parseEmail } from "../mail/parse";
import { sanitizeHtml } from "../mail/sanitize";
import { audit } from "./audit";
import type { AppEnv } from "./context";
import { domainState, liveView } from "./domain-state";
import { attachmentDisposition, attachmentDownload, linkFor, ownDomain, rawBody } from "./message-parts";
import { problem } from "./problem";
import type {
	Contact,
	Folder,
	MailboxStatus,
	MessageDetail,
	MessagePage,
	MessagesPatch,
	MessagesPatchResult,
	RecipientStatus,
} from "./types";

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const MAX_BULK = 200;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const FOLDERS: Folder[] = ["inbox", "sent", "trash"];
/** Hits asked of the mailbox object at a time, and at most this many rounds for one page. */
const SEARCH_BATCH = 400;
const SEARCH_ROUNDS = 5;

/**
 * One page of search results: the mailbox's own index gives matches newest first, D1 keeps
 * those in the folder and filters. A page that filters out much takes a few rounds; after
 * SEARCH_ROUNDS it ends short, with a cursor where it stopped (never a scan of the mailbox).
 */
async function searchMailbox(
	c: Context<AppEnv>,
	folder: Folder | "all",
	text: string,
	filters: ListFilters,
	limit: number,
	before: number | null,
): Promise<{ rows: Awaited<ReturnType<typeof summariesOf>>; resumeAt: number | null }> {
	const userId = c.var.mailbox.userId;
	const index = mailboxIndex(c.env, userId);
	const rows: Awaited<ReturnType<typeof summariesOf>> = [];
	const docs: number[] = [];
	let cursor = before;
	for (let round = 0; round < SEARCH_ROUNDS; round++) {
		const hits = await index.search(text, cursor, SEARCH_BATCH);
		const docOf = new Map(hits.map((h) => [h.messageId, h.doc]));
		for (const row of await summariesOf(c.var.db, userId, folder, filters, [...docOf.keys()])) {
			rows.push(row);
			docs.push(docOf.get(row.id) as number);
		}
		// A full page and one more: the next page starts after this page's last row.
		if (rows.length > limit) return { rows: rows.slice(0, limit), resumeAt: docs[limit - 1] as number };
		if (hits.length < SEARCH_BATCH) return { rows, resumeAt: null };
		cursor = (hits.at(-1) as { doc: number }).doc;
	}
	return { rows, resumeAt: cursor };
}

const iso = (t: number) => new Date(t).toISOString();

function pageLimit(value: string | undefined): number {
	if (value === undefined) return DEFAULT_PAGE;
	const n = Number(value);
	if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw problem(400, "Invalid limit", `limit must be an integer from 1 to ${MAX_PAGE}.`);
	return n;
}

function messageId(value: string): string {
	if (!ULID.test(value)) throw problem(404, "Message not found");
	return value;
}

function day(value: string | undefined, name: string): number | undefined {
	if (!value) return undefined;
	const t = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
	if (!Number.isFinite(t)) throw problem(400, "Invalid date", `${name} must be a date like 2026-11-27.`);
	return t;
}

export const mailboxRoutes = new Hono<AppEnv>()
	.get("/messages", async (c) => {
		const limit = pageLimit(c.req.query("limit"));
		const q = c.req.query("q")?.trim();
		// A search looks everywhere unless told otherwise; a listing is one folder.
		const folder = (c.req.query("folder") ?? (q ? "all" : "inbox")) as Folder | "all";
		if (!FOLDERS.includes(folder as Folder) && !(q && folder === "all"))
			throw problem(400, "Invalid folder", "folder must be inbox, sent or trash (or all, when searching).");
		const before = day(c.req.query("before"), "before");
		const filters: ListFilters = {
			unread: c.req.query("unread") === "1",
			attachments: c.req.query("attachments") === "1",
			...(c.req.query("after") ? { after: day(c.req.query("after"), "after") } : {}),
			// "before 2026-11-27" includes that whole day.
			...(before !== undefined ? { before: before + 86_400_000 } : {}),
		};
		const cursor = c.req.query("cursor");
		const userId = c.var.mailbox.userId;
		let page: Awaited<ReturnType<typeof listFolder>>;
		let nextCursor: string | null;
		if (q) {
			if (cursor !== undefined && !/^\d{1,18}$/.test(cursor))
				throw problem(400, "Invalid cursor", "Use the nextCursor value of the previous page.");
			const found = await searchMailbox(c, folder, q, filters, limit, cursor ? Number(cursor) : null);
			page = found.rows;
			nextCursor = found.resumeAt === null ? null : String(found.resumeAt);
		} else {
			if (cursor !== undefined && !ULID.test(cursor))
				throw problem(400, "Invalid cursor", "Use the nextCursor value of the previous page.");
			const rows = await listFolder(c.var.db, userId, folder as Folder, filters, limit + 1, cursor);
			page = rows.slice(0, limit);
			nextCursor = rows.length > limit ? (page.at(-1)?.id ?? null) : null;
		}
		return c.json<MessagePage>({
			messages: page.map((m) => ({
				id: m.id,
				folder: m.folder,
				from: m.from,
				to: m.to,
				subject: m.subject,
				snippet: m.snippet,
				date: m.sentAt === null ? null : iso(m.sentAt),
				receivedAt: iso(m.receivedAt),
				size: m.size,
				hasAttachments: m.hasAttachments,
				seen: m.seen,
				status: m.status,
				parseError: m.parseError !== null,
			})),
			nextCursor,
		});
	})
	.patch("/messages", async (c) => {
		const body = (await c.req.json().catch(() => null)) as MessagesPatch | null;
		const ids = Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === "string" && ULID.test(id)) : [];
		if (!body || ids.length === 0 || ids.length > MAX_BULK || ids.length !== body.ids.length) {
			throw problem(400, "Invalid request", `Send {"ids": [...]} with 1 to ${MAX_BULK} message ids, and seen and/or folder.`);
		}
		if (body.seen === undefined && body.folder === undefined)
			throw problem(400, "Invalid request", "Nothing to change: send seen and/or folder.");
		if (body.seen !== undefined && typeof body.seen !== "boolean") throw problem(400, "Invalid request", "seen must be true or false.");
		if (body.folder !== undefined && body.folder !== "trash" && body.folder !== "restore")
			throw problem(400, "Invalid request", 'folder must be "trash" or "restore".');
		const userId = c.var.mailbox.userId;
		let updated = 0;
		if (body.seen !== undefined) updated = Math.max(updated, await setSeen(c.var.db, userId, ids, body.seen));
		if (body.folder === "trash") updated = Math.max(updated, await trash(c.var.db, userId, ids));
		if (body.folder === "restore") updated = Math.max(updated, await restore(c.var.db, userId, ids));
		return c.json<MessagesPatchResult>({ updated });
	})
	.get("/status", async (c) => {
		const domain = await ownDomain(c);
		const status = await domainRelay(c.env, domain.name).status();
		const waiting = status.spooled + status.inflight;
		const state = domainState(domain, liveView(status));
		return c.json<MailboxStatus>({
			domain: domain.displayName,
			state,
			since: state === "up" ? null : iso(status.health.since),
			waiting,
			unread: await countUnread(c.var.db, c.var.mailbox.userId),
			// Base64 makes a file a third bigger inside a message; leave room for the text too.
			limits: { maxAttachmentBytes: Math.floor(((domain.maxMessageBytes - 65_536) * 3) / 4), maxMessageBytes: domain.maxMessageBytes },
		});
	})
	.get("/contacts", async (c) => {
		const q = (c.req.query("q") ?? "")
			.trim()
			.toLowerCase()
			.replace(/[%_\\]/g, "");
		const customerId = c.var.mailbox.customerId;
		if (!customerId || q.length < 1) return c.json<Contact[]>([]);
		const rows = await c.var.db
			.select({ email: users.email, displayName: users.displayName })
			.from(users)
			.where(and(eq(users.customerId, customerId), or(like(users.email, `${q}%`), like(users.displayName, `%${q}%`))))
			.orderBy(users.email)
			.limit(10);
		return c.json<Contact[]>(rows);
	})
	.get("/messages/:id", async (c) => {
		const userId = c.var.mailbox.userId;
		const row = await getOwnedMessage(c.var.db, userId, messageId(c.req.param("id")));
		if (!row) throw problem(404, "Message not found");
		const recipients: RecipientStatus[] =
			row.folder === "sent" || row.trashedFrom === "sent"
				? (
						await c.var.db
							.select({
								address: deliveries.recipient,
								state: deliveries.state,
								code: deliveries.lastCode,
								enhanced: deliveries.lastEnhancedCode,
								text: deliveries.lastText,
							})
							.from(deliveries)
							.where(eq(deliveries.messageId, row.id))
					).map((d) => ({
						address: d.address,
						state: d.state,
						detail: d.text ? [d.code || "", d.enhanced ?? "", d.text].filter(Boolean).join(" ") : null,
					}))
				: [];
		const base = {
			id: row.id,
			status: row.status,
			folder: row.folder,
			seen: row.seen,
			receivedAt: iso(row.receivedAt),
			size: row.size,
			envelope: { from: row.envelopeFrom, to: row.envelopeTo },
			recipients,
		};
		const viewing = c.var.principal.viewing;
		if (viewing) {
			const now = c.var.clock.now();
			await audit(
				c,
				{
					customerId: row.customerId,
					messageId: row.id,
					kind: "inbox.message_viewed",
					detail: { mailbox: viewing.email, reason: viewing.reason },
				},
				now,
			);
		}
		const raw = new Uint8Array(await (await rawBody(c.env.MAIL, row)).arrayBuffer());
		const rawHeaders = headerBlock(raw);
		if (row.parseError) {
			return c.json<MessageDetail>({
				...base,
				parseError: row.parseError,
				rawHeaders,
				headers: null,
				text: null,
				bodyUrl: null,
				hasRemoteContent: false,
				attachments: [],
			});
		}
		const email = await parseEmail(raw);
		const { hasRemoteContent } = email.html ? await sanitizeHtml(email.html) : { hasRemoteContent: false };
		const attachments = await Promise.all(
			email.attachments.map(async (a, index) => ({
				index,
				filename: a.filename,
				contentType: a.mimeType,
				disposition: a.disposition,
				contentId: a.contentId ?? null,
				size: typeof a.content === "string" ? new TextEncoder().encode(a.content).byteLength : a.content.byteLength,
				downloadUrl: await linkFor(c, { kind: "attachment", messageId: row.id, userId, part: String(index) }),
			})),
		);
		return c.json<MessageDetail>({
			...base,
			parseError: null,
			rawHeaders,
			headers: {
				from: email.from ? formatAddress(email.from) : "",
				to: formatAddresses(email.to),
				cc: formatAddresses(email.cc),
				replyTo: formatAddresses(email.replyTo),
				subject: email.subject ?? "",
				date: email.date ?? null,
				messageId: email.messageId ?? null,
				inReplyTo: email.inReplyTo ?? null,
				references: email.references ?? null,
			},
			text: email.text ?? null,
			bodyUrl: email.html ? await linkFor(c, { kind: "body", messageId: row.id, userId }) : null,
			hasRemoteContent,
			attachments,
		});
	})
	.get("/messages/:id/raw", async (c) => {
		const row = await getOwnedMessage(c.var.db, c.var.mailbox.userId, messageId(c.req.param("id")));
		if (!row) throw problem(404, "Message not found");
		const obj = await rawBody(c.env.MAIL, row);
		return new Response(obj.body, {
			headers: {
				"Content-Type": "message/rfc822",
				"Content-Length": String(obj.size),
				"Content-Disposition": attachmentDisposition(`${row.id}.eml`),
			},
		});
	})
	.get("/messages/:id/attachments/:index", async (c) => {
		const row = await getOwnedMessage(c.var.db, c.var.mailbox.userId, messageId(c.req.param("id")));
		if (!row) throw problem(404, "Message not found");
		const email = await parseEmail(await (await rawBody(c.env.MAIL, row)).arrayBuffer());
		const index = Number(c.req.param("index"));
		const att = Number.isInteger(index) ? email.attachments[index] : undefined;
		if (!att) throw problem(404, "Attachment not found");
		return attachmentDownload(att, `attachment-${index}`);
	});
