// Thin wrapper over postal-mime: a summary for the mailbox list at ingest, the full parse
// for reading. Parsing never decides whether mail is kept: the raw bytes are the record.
import PostalMime, { type Address, type Email } from "postal-mime";

// Limits name the attack they blunt: deep MIME nesting and giant header blocks are the
// classic parser exhaustion vectors (see corpus: htmllargecallstack.eml, stack-overflow.txt).
const PARSE_OPTIONS = {
	maxNestingDepth: 64,
	maxHeadersSize: 1024 * 1024,
	rfc822Attachments: true,
} as const;

/** Header values kept in D1 for lists are capped; the full text stays in the raw message. */
const MAX_FIELD = 998 * 2;

export interface Summary {
	from: string;
	to: string;
	cc: string;
	subject: string;
	messageId: string | null;
	sentAt: number | null;
	hasAttachments: boolean;
	parseError: string | null;
	/** The start of the body for the list; and the text to search, capped. */
	snippet: string;
	bodyText: string;
}

/** Search indexes at most this much body text per message: enough for any real letter. */
export const MAX_INDEXED_TEXT = 100_000;
const SNIPPET = 160;

/** Text of an HTML body for search and snippets only; never rendered. */
export function htmlToText(html: string): string {
	return html
		.replace(/<(script|style|head|title)[\s\S]*?<\/\1\s*>/gi, " ")
		.replace(/<[^>]*>/g, " ")
		.replace(/&nbsp;/gi, " ")
		.replace(/&amp;/gi, "&")
		.replace(/&lt;/gi, "<")
		.replace(/&gt;/gi, ">")
		.replace(/&quot;/gi, '"')
		.replace(/&#39;/gi, "'");
}

function bodyTextOf(email: Email): string {
	const text = email.text ?? (email.html ? htmlToText(email.html) : "");
	return text.slice(0, MAX_INDEXED_TEXT);
}

export function snippetOf(text: string): string {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat;
}

const cap = (s: string): string => (s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD - 1)}…` : s);

export function formatAddress(a: Address): string {
	if (a.group) return `${a.name}: ${a.group.map(formatAddress).join(", ")};`;
	return a.name ? `${a.name} <${a.address}>` : a.address;
}

export const formatAddresses = (list: Address[] | undefined): string => (list ?? []).map(formatAddress).join(", ");

function parseDate(value: string | undefined): number | null {
	if (!value) return null;
	const t = Date.parse(value);
	return Number.isFinite(t) ? t : null;
}

export async function parseEmail(raw: ArrayBuffer | Uint8Array): Promise<Email> {
	return PostalMime.parse(raw, PARSE_OPTIONS);
}

export async function summarize(raw: ArrayBuffer | Uint8Array): Promise<Summary> {
	try {
		const email = await parseEmail(raw);
		return {
			from: cap(email.from ? formatAddress(email.from) : ""),
			to: cap(formatAddresses(email.to)),
			cc: cap(formatAddresses(email.cc)),
			subject: cap(email.subject ?? ""),
			messageId: email.messageId ? cap(email.messageId) : null,
			sentAt: parseDate(email.date),
			hasAttachments: email.attachments.some((a) => a.disposition !== "inline" || !a.contentId),
			parseError: null,
			snippet: snippetOf(bodyTextOf(email)),
			bodyText: bodyTextOf(email),
		};
	} catch (err) {
		return {
			from: "",
			to: "",
			cc: "",
			subject: "",
			messageId: null,
			sentAt: null,
			hasAttachments: false,
			parseError: cap(err instanceof Error ? err.message : String(err)),
			snippet: "",
			bodyText: "",
		};
	}
}
