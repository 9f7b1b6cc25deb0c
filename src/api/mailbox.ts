// The signed-in user's own mailbox. Every lookup is scoped to the principal's user id:
// another user's message id answers 404, exactly like a message that does not exist.
import { Hono } from "hono";
import { getOwnedMessage, listMailbox, type MessageRow } from "../db/messages";
import { formatAddress, formatAddresses, parseEmail } from "../mail/parse";
import { sanitizeHtml } from "../mail/sanitize";
import type { AppEnv } from "./context";
import { requireSession } from "./middleware/session";
import { problem } from "./problem";
import type { MessageDetail, MessagePage } from "./types";

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

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

async function rawBody(bucket: R2Bucket, row: MessageRow): Promise<R2ObjectBody> {
	const obj = row.r2Key ? await bucket.get(row.r2Key) : null;
	if (!obj)
		throw problem(
			410,
			"Message body expired",
			"This message was delivered to your server and its copy here has been removed under the retention policy.",
		);
	return obj;
}

/** RFC 6266 filename for downloads: an ASCII fallback plus the exact UTF-8 name. */
function attachmentDisposition(filename: string): string {
	const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export const mailboxRoutes = new Hono<AppEnv>()
	.use(requireSession())
	.get("/messages", async (c) => {
		const limit = pageLimit(c.req.query("limit"));
		const cursor = c.req.query("cursor");
		if (cursor !== undefined && !ULID.test(cursor)) throw problem(400, "Invalid cursor", "Use the nextCursor value of the previous page.");
		const rows = await listMailbox(c.var.db, c.var.principal.userId, "inbox", limit + 1, cursor);
		const page = rows.slice(0, limit);
		return c.json<MessagePage>({
			messages: page.map((m) => ({
				id: m.id,
				from: m.from,
				to: m.to,
				subject: m.subject,
				date: m.sentAt === null ? null : iso(m.sentAt),
				receivedAt: iso(m.receivedAt),
				size: m.size,
				hasAttachments: m.hasAttachments,
				seen: m.seen,
				status: m.status,
				parseError: m.parseError !== null,
			})),
			nextCursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
		});
	})
	.get("/messages/:id", async (c) => {
		const row = await getOwnedMessage(c.var.db, c.var.principal.userId, messageId(c.req.param("id")));
		if (!row) throw problem(404, "Message not found");
		const base = {
			id: row.id,
			status: row.status,
			receivedAt: iso(row.receivedAt),
			size: row.size,
			envelope: { from: row.envelopeFrom, to: row.envelopeTo },
		};
		if (row.parseError) {
			return c.json<MessageDetail>({ ...base, parseError: row.parseError, headers: null, text: null, html: null, attachments: [] });
		}
		const email = await parseEmail(await (await rawBody(c.env.MAIL, row)).arrayBuffer());
		return c.json<MessageDetail>({
			...base,
			parseError: null,
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
			html: email.html ? await sanitizeHtml(email.html) : null,
			attachments: email.attachments.map((a, index) => ({
				index,
				filename: a.filename,
				contentType: a.mimeType,
				disposition: a.disposition,
				contentId: a.contentId ?? null,
				size: typeof a.content === "string" ? new TextEncoder().encode(a.content).byteLength : a.content.byteLength,
			})),
		});
	})
	.get("/messages/:id/raw", async (c) => {
		const row = await getOwnedMessage(c.var.db, c.var.principal.userId, messageId(c.req.param("id")));
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
		const row = await getOwnedMessage(c.var.db, c.var.principal.userId, messageId(c.req.param("id")));
		if (!row) throw problem(404, "Message not found");
		const email = await parseEmail(await (await rawBody(c.env.MAIL, row)).arrayBuffer());
		const index = Number(c.req.param("index"));
		const att = Number.isInteger(index) ? email.attachments[index] : undefined;
		if (!att) throw problem(404, "Attachment not found");
		const content = typeof att.content === "string" ? new TextEncoder().encode(att.content) : att.content;
		// Always a download of opaque bytes: a mail-supplied text/html or image/svg+xml must
		// never render in our origin, whatever its declared type.
		return new Response(content, {
			headers: {
				"Content-Type": "application/octet-stream",
				"Content-Disposition": attachmentDisposition(att.filename ?? `attachment-${index}`),
				"X-Content-Type-Options": "nosniff",
			},
		});
	});
