// The wire encodings a DSN needs. Everything here produces 7-bit text, so a report crosses
// any hop, including ones that never offered 8BITMIME.

import { isAscii } from "../lib/ascii";

export const CRLF = "\r\n";

/** RFC 5322 §2.1.1: lines SHOULD be no longer than 78 characters. */
const LINE = 78;
/** RFC 2045 §6.7: quoted-printable lines are at most 76 characters. */
const QP_LINE = 76;
/** RFC 2047 §2: an encoded-word is at most 75 characters, 12 of them "=?UTF-8?Q?" and "?=". */
const WORD_PAYLOAD = 75 - 12;

const hex2 = (b: number): string => b.toString(16).toUpperCase().padStart(2, "0");

export { rfc5322Date } from "../lib/rfc5322-date";

/** Where to fold `s`: the last blank within the line limit, else the first one past it. */
function breakAt(s: string, from: number): number {
	let best = -1;
	// A break must follow some text: a continuation line holding only blanks is forbidden.
	let text = /\S/.test(s.slice(0, from));
	for (let i = from; i < s.length; i++) {
		const c = s[i];
		if (c !== " " && c !== "\t") {
			text = true;
			continue;
		}
		if (!text) continue;
		if (i > LINE && best !== -1) break;
		best = i;
		if (i > LINE) break;
	}
	return best;
}

/** `Name: value`, folded at blanks (RFC 5322 §2.2.3), without the final CRLF. */
export function fold(name: string, value: string): string {
	let rest = `${name}: ${value}`;
	const lines: string[] = [];
	while (rest.length > LINE) {
		// The first line keeps at least one word after the colon.
		const at = breakAt(rest, lines.length === 0 ? name.length + 2 : 1);
		if (at === -1) break;
		lines.push(rest.slice(0, at));
		rest = rest.slice(at);
	}
	lines.push(rest);
	return lines.join(CRLF);
}

/** RFC 2047 §4.2 Q words, restricted to the characters §5(3) allows inside a phrase. */
function encodedWords(text: string): string {
	const utf8 = new TextEncoder();
	const words: string[] = [];
	let word = "";
	// Whole characters per word: §5 forbids splitting a multi-byte character.
	for (const ch of text) {
		let enc: string;
		if (ch === " ") enc = "_";
		else if (/^[A-Za-z0-9!*+\-/]$/.test(ch)) enc = ch;
		else enc = Array.from(utf8.encode(ch), (b) => `=${hex2(b)}`).join("");
		if (word && word.length + enc.length > WORD_PAYLOAD) {
			words.push(word);
			word = "";
		}
		word += enc;
	}
	if (word) words.push(word);
	return words.map((w) => `=?UTF-8?Q?${w}?=`).join(" ");
}

/** A display name as an RFC 5322 phrase: atoms as they are, else quoted, else encoded. */
export function phrase(name: string): string {
	if (!isAscii(name)) return encodedWords(name);
	// "=?" stays quoted so a reader cannot mistake a literal name for an encoded-word.
	if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(name) && !name.includes("=?")) return name;
	return `"${name.replace(/[\\"]/g, "\\$&")}"`;
}

export interface Mailbox {
	name: string;
	address: string;
}

/** `Name <addr>`, `"Name" <addr>`, `<addr>` or a bare `addr`. */
export function parseMailbox(value: string): Mailbox {
	const m = /^(.*?)\s*<([^<>]*)>$/s.exec(value.trim());
	if (!m) return { name: "", address: value.trim() };
	let name = (m[1] ?? "").trim();
	if (/^".*"$/s.test(name)) name = name.slice(1, -1).replace(/\\(.)/gs, "$1");
	return { name, address: (m[2] ?? "").trim() };
}

export const formatMailbox = (m: Mailbox): string => (m.name ? `${phrase(m.name)} <${m.address}>` : m.address);

/** RFC 6533 §3 utf-8-addr-xtext: the 7-bit form of an internationalised address. */
export function utf8AddrXtext(address: string): string {
	let out = "";
	for (const ch of address) {
		const cp = ch.codePointAt(0) ?? 0;
		const qchar = cp >= 0x21 && cp <= 0x7e && ch !== "+" && ch !== "=" && ch !== "\\";
		out += qchar ? ch : `\\x{${hex2(cp)}}`;
	}
	return out;
}

/** Text for a field of the machine-readable report, which RFC 3464 keeps to printable US-ASCII. */
export const printable = (s: string): string => s.replace(/\t/g, " ").replace(/[^\x20-\x7e]/gu, "?");

function qpLine(bytes: Uint8Array, out: string[]): void {
	let cur = "";
	for (let i = 0; i < bytes.length; i++) {
		const b = bytes[i] as number;
		const last = i === bytes.length - 1;
		// A blank at the end of a line would be stripped in transit (§6.7 rule 3).
		const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !last);
		const enc = literal ? String.fromCharCode(b) : `=${hex2(b)}`;
		// Room for the "=" of a soft line break, unless this is the line's last character.
		if (cur.length + enc.length > (last ? QP_LINE : QP_LINE - 1)) {
			out.push(`${cur}=`);
			cur = "";
		}
		cur += enc;
	}
	out.push(cur);
}

/** RFC 2045 §6.7 quoted-printable of text whose lines end in LF or CRLF; output lines end in CRLF. */
export function quotedPrintable(bytes: Uint8Array): string {
	const out: string[] = [];
	let start = 0;
	for (;;) {
		const lf = bytes.indexOf(0x0a, start);
		if (lf === -1) break;
		const end = lf > start && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
		qpLine(bytes.subarray(start, end), out);
		start = lf + 1;
	}
	qpLine(bytes.subarray(start), out);
	return out.join(CRLF);
}
