// The messages of the XSS sweep (test/e2e/xss-sweep.ts): each vector of test/fixtures/xss,
// planted in every part of a message a reader sees (HTML and plain-text bodies, subject,
// display name, attachment file name, content type and contents), batched into raw messages.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const FIXTURES = join(import.meta.dirname, "../fixtures/xss");
const read = (path: string) => readFileSync(join(FIXTURES, path), "utf8");

export interface Vector {
	/** Where it comes from: `dompurify#12` (index in expect.json), `h5sc#7` (item id), `payloadbox:431` (line). */
	id: string;
	payload: string;
}

export type Placement = "html" | "text" | "subject" | "name" | "filename" | "ctype" | "content";
export const PLACEMENTS: Placement[] = ["html", "text", "subject", "name", "filename", "ctype", "content"];

/** One vector in one place of one message. */
export interface Planted {
	vector: Vector;
	placement: Placement;
}

/**
 * Every `stride`th vector of each source: the CI sample, ~120 vectors that still cover each
 * source's range of tricks. Stride 1 is the whole set.
 */
export function loadVectors(full: boolean): Vector[] {
	const stride = full ? { dompurify: 1, h5sc: 1, payloadbox: 1 } : { dompurify: 8, h5sc: 5, payloadbox: 110 };
	const dompurify = (JSON.parse(read("dompurify/expect.json")) as { payload: string }[])
		.map((c, i) => ({ id: `dompurify#${i}`, payload: c.payload }))
		.filter((_, i) => i % stride.dompurify === 0);
	const h5sc = (JSON.parse(read("h5sc/items.json")) as { items: { id: number; data: string }[] }).items
		.map((item) => ({ id: `h5sc#${item.id}`, payload: item.data }))
		.filter((_, i) => i % stride.h5sc === 0);
	const payloadbox = read("payloadbox/xss-payload-list.txt")
		.split(/\r?\n/)
		.map((line, i) => ({ id: `payloadbox:${i + 1}`, payload: line }))
		.filter((v, i) => i % stride.payloadbox === 0 && v.payload.trim() !== "");
	return [...dompurify, ...h5sc, ...payloadbox];
}

/** H5SC's own test page (all its vectors in one document), as one more HTML body. */
export const h5scPage = (): Vector => ({ id: "h5sc/vectors.txt", payload: read("h5sc/vectors.txt") });

/** Vectors per HTML body: few enough that one that swallows the rest of a body hides little. */
const HTML_BATCH = 20;
const TEXT_BATCH = 40;

/**
 * The messages to send: bodies carry a batch of vectors each; every vector also gets a message
 * of its own as subject, display name, attachment file name, attachment content and Content-Type.
 */
export function plan(vectors: Vector[], pages: Vector[] = []): Planted[][] {
	const batches = (placement: Placement, size: number) =>
		Array.from({ length: Math.ceil(vectors.length / size) }, (_, i) =>
			vectors.slice(i * size, (i + 1) * size).map((vector) => ({ vector, placement })),
		);
	return [
		...batches("html", HTML_BATCH),
		...pages.map((vector) => [{ vector, placement: "html" as const }]),
		...batches("text", TEXT_BATCH),
		...vectors.map((vector) => (["subject", "name", "filename", "content", "ctype"] as const).map((placement) => ({ vector, placement }))),
	];
}

// --- building the raw messages -----------------------------------------------------------

const CRLF = "\r\n";
const base64Lines = (text: string) =>
	(
		Buffer.from(text, "utf8")
			.toString("base64")
			.match(/.{1,76}/g) ?? [""]
	).join(CRLF);

/** RFC 2047 B-words of at most 45 bytes each (75 characters encoded), split between code points. */
function encodedWords(text: string): string[] {
	const words: string[] = [];
	let chunk = "";
	for (const ch of text) {
		if (Buffer.byteLength(chunk + ch) > 45) {
			words.push(chunk);
			chunk = "";
		}
		chunk += ch;
	}
	words.push(chunk);
	return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`);
}

/** Printable ASCII that a header can carry as it is. */
const plainAscii = (text: string) => /^[\x20-\x7e]{1,900}$/.test(text) && !text.includes("=?");

/** RFC 2231 filename*, in continuations of at most 60 characters (never splitting a %XX). */
function rfc2231(name: string, value: string): string {
	const encoded = encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const pieces = encoded.match(/%[0-9A-F]{2}|[^%]/g) ?? [];
	const segments: string[] = [""];
	for (const piece of pieces) {
		if ((segments.at(-1) as string).length + piece.length > 60) segments.push("");
		segments[segments.length - 1] += piece;
	}
	if (segments.length === 1) return `${name}*=UTF-8''${segments[0]}`;
	return segments.map((s, i) => `${name}*${i}*=${i === 0 ? "UTF-8''" : ""}${s}`).join(`;${CRLF} `);
}

export const CONTENT_TYPES = ["text/html", "image/svg+xml", "application/xhtml+xml"];

/**
 * Closes what a vector may leave open (comments, quotes, raw-text elements) so the next vector
 * in the same body is parsed as markup again: H5SC's breaker plus end tags.
 */
const BREAKER = `//["'\`-->]]>]</textarea></title></style></script></xmp></noscript></noembed></noframes></iframe></template></select></option></svg></math></form>`;

const tagOf = (run: string, seq: number) => `[xss:${run}:${seq}]`;

/** A message carrying `planted`; parts without a vector get harmless stand-ins. */
export function buildMessage(run: string, seq: number, planted: Planted[]): string {
	const tag = tagOf(run, seq);
	const one = (p: Placement) => planted.find((x) => x.placement === p)?.vector.payload;
	const html = planted.filter((p) => p.placement === "html");
	const text = planted.filter((p) => p.placement === "text");
	const boundary = `sweep-${run}-${seq}`;

	const subject = one("subject");
	const name = one("name");
	let from = `"Sweep" <mallory@example.org>`;
	if (name !== undefined) {
		from =
			seq % 2 === 1 && plainAscii(name)
				? `"${name.replace(/[\\"]/g, "\\$&")}" <mallory@example.org>`
				: `${encodedWords(name).join(`${CRLF} `)} <mallory@example.org>`;
	}
	const head = [
		`From: ${from}`,
		"To: alice@acme.test",
		`Subject: ${subject === undefined ? `${tag} ${html.length ? "html" : text.length ? "text" : "headers"}` : plainAscii(subject) ? subject : encodedWords(subject).join(`${CRLF} `)}`,
		"Date: Fri, 27 Nov 2026 11:00:00 +0000",
		`Message-ID: <xss-${run}-${seq}@sweep.test>`,
		"MIME-Version: 1.0",
	];

	const body = html.length
		? {
				type: "text/html; charset=utf-8",
				content: `<div>${tag}</div><img src="cid:probe-${seq}@sweep.test" alt="">${html.map((p, i) => `<div id="v${i}">${p.vector.payload}${BREAKER}</div>`).join("\n")}`,
			}
		: {
				type: "text/plain; charset=utf-8",
				content: [
					`${tag} ${text.length ? "text" : "headers"}`,
					// Each vector bare, and glued to links so the plain-text linkifier gets to cut it.
					...text.flatMap((p) => [p.vector.payload, `see https://example.test/${p.vector.payload} or mailto:${p.vector.payload}`, ""]),
				].join(CRLF),
			};

	const parts: string[][] = [];
	if (html.length) {
		// A cid: image whose bytes are a scripted SVG: it must download, never render as a document.
		parts.push([
			`Content-Type: image/svg+xml; name="probe.svg"`,
			`Content-ID: <probe-${seq}@sweep.test>`,
			`Content-Disposition: inline; filename="probe.svg"`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert('cid-svg')"><script>alert('cid-svg')</script></svg>`),
		]);
	}
	const filename = one("filename");
	const content = one("content");
	if (filename !== undefined || content !== undefined) {
		const type = content === undefined ? "text/plain; charset=utf-8" : (CONTENT_TYPES[seq % CONTENT_TYPES.length] as string);
		const disposition =
			filename === undefined
				? `filename="content-${seq}.html"`
				: seq % 2 === 0
					? rfc2231("filename", filename)
					: `filename="${encodedWords(filename).join(" ")}"`;
		parts.push([
			`Content-Type: ${type}${filename !== undefined && seq % 2 === 1 ? `; name="${encodedWords(filename).join(" ")}"` : ""}`,
			`Content-Disposition: attachment; ${disposition}`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines(content ?? "attachment"),
		]);
	}
	const ctype = one("ctype");
	if (ctype !== undefined) {
		parts.push([
			`Content-Type: ${ctype.replace(/[\r\n]+/g, " ")}`,
			`Content-Disposition: attachment; filename="type-${seq}.bin"`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines("attachment"),
		]);
	}

	const bodyPart = [`Content-Type: ${body.type}`, "Content-Transfer-Encoding: base64", "", base64Lines(body.content)];
	if (parts.length === 0) return [...head, ...bodyPart, ""].join(CRLF);
	return [
		...head,
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		"",
		...[bodyPart, ...parts].flatMap((p) => [`--${boundary}`, ...p]),
		`--${boundary}--`,
		"",
	].join(CRLF);
}
