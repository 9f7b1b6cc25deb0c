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
		};
	}
}
