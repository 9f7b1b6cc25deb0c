// Builds mail written in the Emergency Inbox with mimetext. What mimetext leaves to us: body
// and attachment encodings (it labels UTF-8 text "7bit" and never wraps base64), non-ASCII
// file names, and keeping CR/LF out of every header value (header injection).
import { createMimeMessage } from "mimetext/browser";
import { base64Lines } from "../lib/bytes";

export interface ComposeAttachment {
	filename: string;
	contentType: string;
	bytes: Uint8Array;
}

export interface ComposeInput {
	from: { name: string; addr: string };
	to: { name: string; addr: string }[];
	cc: { name: string; addr: string }[];
	subject: string;
	text: string;
	messageId: string;
	date: Date;
	inReplyTo: string | null;
	references: string | null;
	attachments: ComposeAttachment[];
}

const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, " ").trim();

/** RFC 2047 for non-ASCII or quote-bearing names (RFC 2231 is better but rarely read by clients). */
function safeFilename(name: string): string {
	const clean = oneLine(name).replace(/["\\]/g, "_") || "attachment";
	return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${base64Lines(new TextEncoder().encode(clean), 0)}?=`;
}

/** A content type we pass on as given only if it looks like one; else opaque bytes. */
function safeType(type: string): string {
	return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(type) ? type.toLowerCase() : "application/octet-stream";
}

export function composeMessage(input: ComposeInput): string {
	const msg = createMimeMessage();
	msg.setSender({ name: oneLine(input.from.name), addr: input.from.addr });
	if (input.to.length > 0) msg.setTo(input.to.map((a) => ({ name: oneLine(a.name), addr: a.addr })));
	if (input.cc.length > 0) msg.setCc(input.cc.map((a) => ({ name: oneLine(a.name), addr: a.addr })));
	msg.setSubject(oneLine(input.subject));
	msg.setHeader("Message-ID", input.messageId);
	msg.setHeader("Date", input.date.toUTCString().replace(/GMT$/, "+0000"));
	if (input.inReplyTo) msg.setHeader("In-Reply-To", oneLine(input.inReplyTo));
	if (input.references) msg.setHeader("References", oneLine(input.references));
	msg.setHeader("X-Mailer", "Emergency Inbox");
	msg.addMessage({
		contentType: "text/plain",
		encoding: "base64",
		data: base64Lines(new TextEncoder().encode(input.text.replace(/\r?\n/g, "\r\n"))),
	});
	for (const a of input.attachments) {
		msg.addAttachment({
			filename: safeFilename(a.filename),
			contentType: safeType(a.contentType),
			encoding: "base64",
			data: base64Lines(a.bytes),
		});
	}
	return msg.asRaw();
}
