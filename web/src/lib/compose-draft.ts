// What Reply, Reply all and Forward put in the compose form. Pure, so the conventions
// (subject prefixes, quoting, who gets a reply-all) are unit-tested without a browser.
import type { MessageDetail } from "../../../src/api/types";
import { type Address, addressesOf, formatAddressList, sameEmail } from "./addresses";

export type DraftKind = "reply" | "replyAll" | "forward";

export interface Draft {
	to: string;
	cc: string;
	subject: string;
	text: string;
	inReplyTo?: string;
	forwardOf?: string;
}

const REPLY_PREFIX = /^\s*(re|aw|sv|antw)\s*(\[\d+\])?\s*:/i;
const FORWARD_PREFIX = /^\s*(fwd?|wg|tr)\s*:/i;

/** "Re: x" once, however long the thread: a prefix already there (in any common language) is kept. */
export function replySubject(subject: string): string {
	const s = subject.trim();
	return REPLY_PREFIX.test(s) ? s : `Re: ${s}`;
}

export function forwardSubject(subject: string): string {
	const s = subject.trim();
	return FORWARD_PREFIX.test(s) ? s : `Fwd: ${s}`;
}

/** "> " before each line; blank lines get a bare ">" so no trailing spaces are sent. */
export function quoteLines(text: string): string {
	return text
		.replace(/\r\n?/g, "\n")
		.replace(/\n+$/, "")
		.split("\n")
		.map((line) => (line.length === 0 ? ">" : `> ${line}`))
		.join("\n");
}

export function replyBody(original: { text: string; from: string; date: string }): string {
	return `\n\nOn ${original.date}, ${original.from} wrote:\n${quoteLines(original.text)}\n`;
}

export function forwardBody(original: { text: string; from: string; date: string; subject: string; to: string; cc: string }): string {
	const lines = [
		"",
		"",
		"---------- Forwarded message ----------",
		`From: ${original.from}`,
		`Date: ${original.date}`,
		`Subject: ${original.subject}`,
		`To: ${original.to}`,
	];
	if (original.cc) lines.push(`Cc: ${original.cc}`);
	lines.push("", original.text.replace(/\r\n?/g, "\n").replace(/\n+$/, ""), "");
	return lines.join("\n");
}

function without(list: Address[], drop: Address[]): Address[] {
	return list.filter((a) => !drop.some((d) => sameEmail(a.email, d.email)));
}

/**
 * Who a reply goes to. Reply: Reply-To, else From. Reply all: those plus the original To and
 * Cc, without the user and without duplicates. A reply to one's own sent message goes to
 * its recipients, as every mail client does.
 */
export function replyRecipients(message: MessageDetail, me: string, all: boolean): { to: Address[]; cc: Address[] } {
	const h = message.headers;
	const from = addressesOf(h?.from || message.envelope.from);
	const origTo = addressesOf(h?.to || message.envelope.to);
	const origCc = addressesOf(h?.cc);
	const self: Address = { name: "", email: me };
	const fromMe = from.length > 0 && from.every((a) => sameEmail(a.email, me));
	if (fromMe) {
		const to = origTo.length > 0 ? origTo : from;
		return { to, cc: all ? without(origCc, [self, ...to]) : [] };
	}
	const replyTo = addressesOf(h?.replyTo);
	const to = replyTo.length > 0 ? replyTo : from;
	if (!all) return { to, cc: [] };
	// addressesOf already dropped duplicates within each header; this drops them across To and Cc.
	const cc = without([...origTo, ...origCc], [self, ...to]).filter(
		(a, i, list) => list.findIndex((b) => sameEmail(a.email, b.email)) === i,
	);
	return { to, cc };
}

/** The compose form's starting point for `kind`; `formatDate` renders the quoted date for the user's locale. */
export function draftFor(kind: DraftKind, message: MessageDetail, me: string, formatDate: (value: string) => string): Draft {
	const h = message.headers;
	const subject = h?.subject ?? "";
	const from = h?.from || message.envelope.from;
	const date = formatDate(h?.date ?? message.receivedAt);
	const text = message.text ?? "";
	if (kind === "forward") {
		return {
			to: "",
			cc: "",
			subject: forwardSubject(subject),
			text: forwardBody({ text, from, date, subject, to: h?.to || message.envelope.to, cc: h?.cc ?? "" }),
			forwardOf: message.id,
		};
	}
	const { to, cc } = replyRecipients(message, me, kind === "replyAll");
	return {
		to: formatAddressList(to),
		cc: formatAddressList(cc),
		subject: replySubject(subject),
		text: replyBody({ text, from, date }),
		inReplyTo: message.id,
	};
}
