// Turns plain-text mail into text and link pieces without ever producing HTML: the caller
// renders pieces as text nodes and <a> elements, so nothing in the mail is parsed as markup.

export type TextPiece = { text: string; href?: undefined } | { text: string; href: string };

/**
 * Conservative on purpose: only an explicit http(s):// or mailto: starts a link (no bare
 * "example.com" guessing), and it stops at whitespace, quotes and angle brackets, which
 * mail uses to wrap URLs. `(?<![\w@.:/])` keeps a scheme glued to a word from matching.
 */
const CANDIDATE = /(?<![\w@.:/-])(?:https?:\/\/|mailto:)[^\s<>"'`{}|\\^]+/gi;

const ALLOWED_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const TRAILING_PUNCTUATION = /[.,;:!?*_~]$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Sentence punctuation after a URL is not part of it; a closing bracket is only when it closes one inside the URL. */
function trimTrailing(candidate: string): string {
	let url = candidate;
	for (;;) {
		const last = url.at(-1) ?? "";
		if (TRAILING_PUNCTUATION.test(last)) {
			url = url.slice(0, -1);
			continue;
		}
		const opener = CLOSERS[last];
		if (opener && count(url, opener) < count(url, last)) {
			url = url.slice(0, -1);
			continue;
		}
		return url;
	}
}

function count(s: string, ch: string): number {
	let n = 0;
	for (const c of s) if (c === ch) n++;
	return n;
}

/** The href to use for `candidate`, or null when it is not a well-formed link of an allowed kind. */
export function safeHref(candidate: string): string | null {
	let url: URL;
	try {
		url = new URL(candidate);
	} catch {
		return null;
	}
	if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
	if (url.protocol === "mailto:" ? url.pathname.length === 0 : url.hostname.length === 0) return null;
	return candidate;
}

export function linkify(text: string): TextPiece[] {
	const pieces: TextPiece[] = [];
	let plain = "";
	let last = 0;
	for (const match of text.matchAll(CANDIDATE)) {
		const start = match.index;
		const url = trimTrailing(match[0]);
		const href = url.length > 0 ? safeHref(url) : null;
		if (!href) continue;
		plain += text.slice(last, start);
		if (plain) pieces.push({ text: plain });
		plain = "";
		pieces.push({ text: url, href });
		last = start + url.length;
	}
	plain += text.slice(last);
	if (plain) pieces.push({ text: plain });
	return pieces;
}
