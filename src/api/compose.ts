// Writing mail from the Emergency Inbox: uploads, then send. The message is built here
// (mimetext), stored as the sender's Sent copy (R2 + D1) and handed to the outbound queue;
// src/queue/send.ts delivers it to each recipient.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { putRaw } from "../bodies/store";
import { inJson } from "../db/in-json";
import { getOwnedMessage } from "../db/mailbox";
import { uploads } from "../db/schema";
import { insertSent } from "../db/sent";
import { indexEntry, mailboxIndex } from "../domain/mailbox-index";
import { sha256Hex } from "../lib/bytes";
import { newId } from "../lib/ids";
import { parseMailbox } from "../mail/address";
import { type ComposeAttachment, composeMessage } from "../mail/compose";
import { MAX_INDEXED_TEXT, parseEmail, snippetOf } from "../mail/parse";
import type { OutboundJob } from "../queue/messages";
import type { AppEnv } from "./context";
import { ownDomain, rawBody } from "./message-parts";
import { problem } from "./problem";
import type { ComposeRequest, ComposeResult, Upload } from "./types";

/** One message may not fan out to more: beyond this it is a mailing, not a reply. */
const MAX_RECIPIENTS = 100;
const MAX_SUBJECT = 998;
const MAX_TEXT = 1_000_000;

export const composeRoutes = new Hono<AppEnv>()
	.post("/uploads", async (c) => {
		const p = c.var.mailbox;
		const domain = await ownDomain(c);
		const declared = Number(c.req.header("Content-Length") ?? Number.NaN);
		if (Number.isFinite(declared) && declared > domain.maxMessageBytes) {
			throw problem(413, "Attachment too large", `Attachments may be at most ${domain.maxMessageBytes} bytes.`);
		}
		const bytes = new Uint8Array(await c.req.arrayBuffer());
		if (bytes.byteLength > domain.maxMessageBytes)
			throw problem(413, "Attachment too large", `Attachments may be at most ${domain.maxMessageBytes} bytes.`);
		let filename = "attachment";
		try {
			filename =
				decodeURIComponent(c.req.header("X-Filename") ?? "attachment")
					.replace(/[\r\n\\/]+/g, "_")
					.slice(0, 255) || "attachment";
		} catch {
			throw problem(400, "Invalid file name", "Send the file name URI-encoded in X-Filename.");
		}
		const contentType =
			(c.req.header("Content-Type") ?? "application/octet-stream").split(";")[0]?.trim().toLowerCase() || "application/octet-stream";
		const id = newId(c.var.clock.now());
		const r2Key = `c/${domain.customerId}/u/${id}`;
		await c.env.MAIL.put(r2Key, bytes, { httpMetadata: { contentType: "application/octet-stream" } });
		await c.var.db.insert(uploads).values({
			id,
			customerId: domain.customerId,
			userId: p.userId,
			r2Key,
			filename,
			contentType,
			size: bytes.byteLength,
			createdAt: c.var.clock.now(),
		});
		return c.json<Upload>({ id, filename, contentType, size: bytes.byteLength }, 201);
	})
	.post("/send", async (c) => {
		const p = c.var.mailbox;
		const senderDomain = await ownDomain(c);
		// Until the domain's owner has proved it in DNS, nobody sends as it from here.
		if (senderDomain.verifiedAt === null)
			throw problem(
				409,
				"Domain not verified",
				`Mail from ${senderDomain.displayName} can be sent once an administrator has verified the domain (Company settings → Domains → Setup).`,
			);
		const body = (await c.req.json().catch(() => null)) as ComposeRequest | null;
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send {to, cc, bcc, subject, text, attachments}.");
		const bad = (detail: string) => problem(422, "Cannot send", detail);
		const list = (field: "to" | "cc" | "bcc") => {
			const value = body[field] ?? [];
			if (!Array.isArray(value)) throw bad(`${field} must be a list of addresses.`);
			return value.map((raw) => {
				const parsed = typeof raw === "string" ? parseMailbox(raw) : null;
				if (!parsed)
					throw bad(`"${String(raw).slice(0, 100)}" in ${field === "to" ? "To" : field === "cc" ? "Cc" : "Bcc"} is not an email address.`);
				return { name: parsed.name, addr: parsed.address.canonical };
			});
		};
		const [to, cc, bcc] = [list("to"), list("cc"), list("bcc")];
		const recipients = [...new Set([...to, ...cc, ...bcc].map((a) => a.addr))];
		if (recipients.length === 0) throw bad("Add at least one recipient.");
		if (recipients.length > MAX_RECIPIENTS) throw bad(`At most ${MAX_RECIPIENTS} recipients per message.`);
		const subject = typeof body.subject === "string" ? body.subject : "";
		const text = typeof body.text === "string" ? body.text : "";
		if (subject.length > MAX_SUBJECT || text.length > MAX_TEXT) throw bad("The subject or the text is too long.");

		const db = c.var.db;
		const customerId = senderDomain.customerId;

		const attachments: ComposeAttachment[] = [];
		const uploadKeys: string[] = [];
		const uploadIds = Array.isArray(body.attachments) ? body.attachments.filter((x): x is string => typeof x === "string") : [];
		if (uploadIds.length > 0) {
			const rows = await db
				.select()
				.from(uploads)
				.where(and(eq(uploads.userId, p.userId), inJson(uploads.id, uploadIds)));
			if (rows.length !== new Set(uploadIds).size) throw bad("An attachment is missing; upload it again.");
			for (const u of rows) {
				const obj = await c.env.MAIL.get(u.r2Key);
				if (!obj) throw bad(`The attachment ${u.filename} is missing; upload it again.`);
				attachments.push({ filename: u.filename, contentType: u.contentType, bytes: new Uint8Array(await obj.arrayBuffer()) });
				uploadKeys.push(u.r2Key);
			}
		}
		let inReplyTo: string | null = null;
		let references: string | null = null;
		for (const [field, ref] of [
			["inReplyTo", body.inReplyTo],
			["forwardOf", body.forwardOf],
		] as const) {
			if (ref === undefined) continue;
			const original = typeof ref === "string" ? await getOwnedMessage(db, p.userId, ref) : undefined;
			if (!original) throw bad(`The message to ${field === "inReplyTo" ? "answer" : "forward"} is not in your mailbox.`);
			const parsed = await parseEmail(await (await rawBody(c.env.MAIL, original)).arrayBuffer());
			if (field === "inReplyTo" && parsed.messageId) {
				inReplyTo = parsed.messageId;
				references = [parsed.references, parsed.messageId].filter(Boolean).join(" ").slice(-2000);
			}
			if (field === "forwardOf") {
				for (const a of parsed.attachments) {
					const bytes = typeof a.content === "string" ? new TextEncoder().encode(a.content) : new Uint8Array(a.content);
					attachments.push({ filename: a.filename ?? "attachment", contentType: a.mimeType, bytes });
				}
			}
		}

		const now = c.var.clock.now();
		const id = newId(now);
		const raw = new TextEncoder().encode(
			composeMessage({
				from: { name: p.displayName, addr: p.email },
				to,
				cc,
				subject,
				text,
				messageId: `<${id}@${senderDomain.name}>`,
				date: new Date(now),
				inReplyTo,
				references,
				attachments,
			}),
		);
		if (raw.byteLength > senderDomain.maxMessageBytes)
			throw problem(
				413,
				"Message too large",
				`With its attachments the message is ${raw.byteLength} bytes; the limit is ${senderDomain.maxMessageBytes}.`,
			);
		const sha256 = await sha256Hex(raw);
		const fmt = (list: { name: string; addr: string }[]) => list.map((a) => (a.name ? `${a.name} <${a.addr}>` : a.addr)).join(", ");
		const fromHeader = p.displayName ? `${p.displayName} <${p.email}>` : p.email;
		// Body and search entry first, the row last: a failure leaves nothing visible, and the
		// client's retry stores a new copy (an entry without a row is never shown).
		const [r2Key] = await Promise.all([
			putRaw(c.env.MAIL, customerId, id, raw, sha256),
			mailboxIndex(c.env, p.userId).index([
				indexEntry(id, { subject, fromHeader, toHeader: fmt(to), ccHeader: fmt(cc) }, text.slice(0, MAX_INDEXED_TEXT)),
			]),
		]);
		await insertSent(
			db,
			{
				id,
				customerId,
				domainId: senderDomain.id,
				userId: p.userId,
				folder: "sent",
				direction: "out",
				envelopeFrom: p.email,
				envelopeTo: recipients.join(", "),
				fromHeader,
				toHeader: fmt(to),
				ccHeader: fmt(cc),
				subject,
				snippet: snippetOf(text),
				messageIdHeader: `<${id}@${senderDomain.name}>`,
				sentAt: now,
				receivedAt: now,
				size: raw.byteLength,
				sha256,
				r2Key,
				hasAttachments: attachments.length > 0,
				seen: true,
				status: "queued",
				heldAt: now,
				updatedAt: now,
			},
			recipients,
			uploadIds,
			() => newId(now),
			c.var.principal.userId,
		);
		// The message holds the attachments now; the uploads are spent.
		await c.env.MAIL.delete(uploadKeys);
		const job: OutboundJob = { kind: "send", messageId: id };
		await c.env.OUTBOUND_QUEUE.send(job);
		return c.json<ComposeResult>({ id }, 202);
	});
