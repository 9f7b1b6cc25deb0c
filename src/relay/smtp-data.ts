// The message as it goes on the wire after DATA (RFC 5321 §4.1.1.4, §4.5.2). Bytes, not
// strings: 8-bit content must reach the server unchanged.

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

/** Bytes written per socket write, each under the RFC 5321 data-block timeout. */
export const DATA_CHUNK_BYTES = 64 * 1024;

/** Room for the longest terminator (CRLF.CRLF) in one chunk. */
const MIN_CHUNK_BYTES = 16;

/**
 * The message with every line ending made CRLF, lines starting with "." dot-stuffed, and
 * the terminating CRLF.CRLF, in chunks of at most `chunkBytes`.
 *
 * A bare LF or bare CR becomes CRLF. Servers disagree on what a bare "\n.\n" or "\r.\r"
 * means, and one that takes it as the end of data while we do not lets a message smuggle
 * a second, forged message into our session (SMTP smuggling, CVE-2023-51764 and kin).
 * After this, the only "<CRLF>.<CRLF>" on the wire is ours.
 */
export function* dataChunks(raw: Uint8Array, chunkBytes = DATA_CHUNK_BYTES): Generator<Uint8Array> {
	if (!Number.isInteger(chunkBytes) || chunkBytes < MIN_CHUNK_BYTES) throw new RangeError(`chunkBytes must be at least ${MIN_CHUNK_BYTES}`);
	// Room for the worst case of one input byte: a stuffed dot plus the byte, or CRLF.
	let out = new Uint8Array(chunkBytes);
	let n = 0;
	let lineStart = true;
	for (let i = 0; i < raw.length; i++) {
		if (n > chunkBytes - 2) {
			yield out.subarray(0, n);
			out = new Uint8Array(chunkBytes);
			n = 0;
		}
		const b = raw[i] as number;
		if (b === CR || b === LF) {
			if (b === CR && raw[i + 1] === LF) i++;
			out[n++] = CR;
			out[n++] = LF;
			lineStart = true;
			continue;
		}
		if (lineStart && b === DOT) out[n++] = DOT;
		out[n++] = b;
		lineStart = false;
	}
	const tail = lineStart ? [DOT, CR, LF] : [CR, LF, DOT, CR, LF];
	if (n + tail.length > chunkBytes) {
		yield out.subarray(0, n);
		out = new Uint8Array(tail.length);
		n = 0;
	}
	out.set(tail, n);
	yield out.subarray(0, n + tail.length);
}

/** The size after CRLF canonicalisation: what RFC 1870 SIZE compares with the limit. */
export function canonicalSize(raw: Uint8Array): number {
	let size = 0;
	for (let i = 0; i < raw.length; i++) {
		const b = raw[i] as number;
		if (b === CR) {
			if (raw[i + 1] === LF) i++;
			size += 2;
		} else if (b === LF) {
			size += 2;
		} else {
			size++;
		}
	}
	return size;
}

/** Whether the body needs 8BITMIME (RFC 6152): any byte outside 7-bit ASCII. */
export function has8bit(raw: Uint8Array): boolean {
	for (let i = 0; i < raw.length; i++) if ((raw[i] as number) > 0x7f) return true;
	return false;
}
