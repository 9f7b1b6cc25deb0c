// The original message's header section, as a DSN quotes it and the loop guard reads it.
// Header bytes travel as "binary strings" (one character per byte, U+0000–U+00FF), so
// whatever 8-bit junk a sender put in its headers comes back out byte for byte.

/**
 * A header section past 64 KiB is broken or hostile (RFC 5322 allows 998-octet lines but
 * no limit on their number): quoting it whole would turn each bounce into an amplifier
 * and could exceed what the sender's server accepts, so the DSN is never delivered.
 */
export const MAX_HEADER_BLOCK = 64 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

/**
 * Length of the header section: up to the empty line that ends it (CRLF or LF), or the
 * whole input if there is none. Past `limit` it stops at the start of the last field that
 * fits entirely, so a cut never leaves half a folded field.
 */
export function headerSectionLength(raw: Uint8Array, limit = MAX_HEADER_BLOCK): number {
	// Two bytes past the limit are enough to classify a line starting at it; never scan a
	// hostile multi-megabyte line to its end.
	const view = raw.subarray(0, limit + 2);
	let fieldStart = 0;
	let pos = 0;
	while (pos < view.length) {
		if (pos > limit) return fieldStart;
		const first = view[pos];
		if (first === LF || (first === CR && view[pos + 1] === LF)) return pos;
		if (first !== SP && first !== HT) fieldStart = pos;
		const lf = view.indexOf(LF, pos);
		pos = lf === -1 ? view.length : lf + 1;
	}
	return pos <= limit ? pos : fieldStart;
}

/** One character per byte. TextDecoder("latin1") would not do: WHATWG maps it to windows-1252. */
export function binaryString(bytes: Uint8Array): string {
	let s = "";
	const CHUNK = 8192;
	for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	return s;
}

/**
 * The inverse of binaryString. A character above U+00FF cannot have come from bytes, so
 * it is taken as text and written as its UTF-8 bytes rather than refused.
 */
export function binaryBytes(s: string): Uint8Array {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole Latin-1 range, control characters included, is what bytes decode to.
	if (/^[\x00-\xff]*$/.test(s)) return Uint8Array.from(s, (c) => c.charCodeAt(0));
	const utf8 = new TextEncoder();
	const out: number[] = [];
	for (const ch of s) {
		const cp = ch.codePointAt(0) ?? 0;
		if (cp <= 0xff) out.push(cp);
		else out.push(...utf8.encode(ch));
	}
	return Uint8Array.from(out);
}

/** The original message's header block (its lines with their line endings, no empty line), capped. */
export function headerBlock(raw: Uint8Array): string {
	return binaryString(raw.subarray(0, headerSectionLength(raw)));
}

export interface HeaderField {
	/** Lower case. */
	name: string;
	/** Unfolded and trimmed. */
	value: string;
}

/** Fields of a header block, unfolded (RFC 5322 §2.2.3); reading stops at the first empty line. */
export function parseHeaderFields(block: string): HeaderField[] {
	const fields: HeaderField[] = [];
	let current: string | null = null;
	const flush = () => {
		if (current === null) return;
		const colon = current.indexOf(":");
		// A line without a colon is not a field (nor an mbox "From " line); skip it.
		if (colon > 0) fields.push({ name: current.slice(0, colon).trim().toLowerCase(), value: current.slice(colon + 1).trim() });
		current = null;
	};
	for (const line of block.slice(0, MAX_HEADER_BLOCK).split(/\r?\n/)) {
		if (line === "" || line === "\r") break;
		if ((line[0] === " " || line[0] === "\t") && current !== null) current += line;
		else {
			flush();
			current = line;
		}
	}
	flush();
	return fields;
}
