// A stored message's header section without its body: R2 ranged reads from the start of the
// object, growing until the empty line that ends the headers (RFC 5322 §2.1) turns up. A
// DSN quotes only the headers (RFC 6522 §4), and reading a 50 MB message whole for them
// would be most of a Worker's memory.

/** The first range asked for: enough for the headers of nearly all mail. */
export const HEADER_READ_FIRST_BYTES = 16 * 1024;

/**
 * At most this much is read. Headers longer than that are cut at a line boundary, which a
 * text/rfc822-headers part may be (RFC 3462 §2, now RFC 6522 §4).
 */
export const HEADER_READ_MAX_BYTES = 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;
const HT = 0x09;

export interface HeaderReadOptions {
	/** The first range's length; each next range is twice the one before. */
	firstBytes?: number;
	/** The most bytes read in all. */
	maxBytes?: number;
}

const continues = (b: number | undefined) => b === SP || b === HT;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.length === 0) return b;
	const out = new Uint8Array(a.length + b.length);
	out.set(a, 0);
	out.set(b, a.length);
	return out;
}

/**
 * The header section of the object at `key`: its lines with their line endings, up to the
 * empty line (CRLF or LF) that ends it, without that line. No empty line: the whole object.
 * Past `maxBytes`: cut before the last field that did not fit entirely, so a folded field is
 * never split. Null when there is no such object.
 */
export async function readHeaderSection(bucket: R2Bucket, key: string, options: HeaderReadOptions = {}): Promise<Uint8Array | null> {
	const max = options.maxBytes ?? HEADER_READ_MAX_BYTES;
	let want = Math.min(options.firstBytes ?? HEADER_READ_FIRST_BYTES, max);
	if (!Number.isInteger(max) || !Number.isInteger(want) || want < 1) throw new RangeError("header read sizes must be positive integers");
	let buf: Uint8Array = new Uint8Array(0);
	/** Start of the line not yet seen whole. */
	let line = 0;
	/** Start of the last field seen whole (its first line, not a continuation). */
	let field = 0;
	let size = Number.POSITIVE_INFINITY;
	for (;;) {
		let obj: R2ObjectBody | null;
		try {
			obj = await bucket.get(key, { range: { offset: buf.length, length: Math.min(want, max - buf.length) } });
		} catch (e) {
			// No range of an empty object can be satisfied.
			if (buf.length > 0) throw e;
			const meta = await bucket.head(key);
			if (meta?.size !== 0) throw e;
			return buf;
		}
		if (!obj) return null;
		size = obj.size;
		buf = concat(buf, new Uint8Array(await obj.arrayBuffer()));
		const ended = buf.length >= size;
		const full = buf.length >= max;
		while (line < buf.length) {
			const b = buf[line];
			if (b === LF) return buf.subarray(0, line);
			if (b === CR) {
				if (line + 1 < buf.length) {
					if (buf[line + 1] === LF) return buf.subarray(0, line);
				} else if (!ended) break; // the next range tells whether CR LF is the empty line
			}
			const lf = buf.indexOf(LF, line);
			if (lf === -1) break;
			if (!continues(b)) field = line;
			line = lf + 1;
		}
		if (ended) return buf;
		if (full) {
			// The line begun at `line` is cut (or unseen): keep it out, and with it the rest of its
			// field when it is a continuation or may have one.
			const next = buf[line];
			return buf.subarray(0, next !== undefined && !continues(next) ? line : field);
		}
		want *= 2;
	}
}
