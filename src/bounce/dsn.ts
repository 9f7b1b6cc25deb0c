// Delivery status notifications: an RFC 3464 message/delivery-status report inside an
// RFC 6522 multipart/report, ready to hand to a transport. Send it with the null
// reverse-path (MAIL FROM:<>, RFC 3464 §2 and RFC 5321 §4.5.5), so that a DSN about
// this DSN can never be sent back to us.
//
// We return the original's headers as text/rfc822-headers (RFC 6522 §4), never its body:
// the sender already has it, and it may be large or private.

import { isAscii } from "../lib/ascii";
import { type DsnInput, type Report, type ReportRecipient, readInput } from "./dsn-input";
import { CRLF, fold, formatMailbox, quotedPrintable, rfc5322Date } from "./encode";
import { explain } from "./explain";
import { binaryString } from "./headers";

export type { DsnAction, DsnInput, DsnRecipient } from "./dsn-input";

/** RFC 5322 §2.1.1 hard limit; longer lines in quoted headers force quoted-printable. */
const MAX_LINE = 998;

interface Part {
	headers: [string, string][];
	/** Lines ending in CRLF. */
	body: string;
}

function subject(recipients: ReportRecipient[]): string {
	const failed = recipients.some((r) => r.action === "failed");
	const delayed = recipients.some((r) => r.action === "delayed");
	const outcome = failed && delayed ? "Failure and delay" : failed ? "Failure" : delayed ? "Delay" : "Success";
	return `Delivery Status Notification (${outcome})`;
}

function fields(pairs: [string, string | null][]): string {
	return pairs
		.filter((p): p is [string, string] => p[1] !== null)
		.map(([name, value]) => `${fold(name, value)}${CRLF}`)
		.join("");
}

function textPart(report: Report): Part {
	const text = explain(report);
	if (isAscii(text)) return { headers: [["Content-Type", "text/plain; charset=us-ascii"]], body: text.replaceAll("\n", CRLF) };
	return {
		headers: [
			["Content-Type", "text/plain; charset=utf-8"],
			["Content-Transfer-Encoding", "quoted-printable"],
		],
		body: quotedPrintable(new TextEncoder().encode(text)),
	};
}

/** RFC 3464 §2.2 per-message fields, then §2.3 per-recipient blocks, each after an empty line. */
function statusPart(report: Report): Part {
	const date = (d: Date | null) => (d ? rfc5322Date(d) : null);
	const perMessage = fields([
		["Original-Envelope-Id", report.originalEnvelopeId],
		["Reporting-MTA", report.reportingMta],
		["Arrival-Date", rfc5322Date(report.arrivalDate)],
	]);
	const perRecipient = report.recipients.map((r) =>
		fields([
			["Original-Recipient", r.originalRecipient],
			["Final-Recipient", r.finalRecipient],
			["Action", r.action],
			["Status", r.status],
			["Remote-MTA", r.remoteMta],
			["Diagnostic-Code", r.diagnosticCode],
			["Last-Attempt-Date", date(r.lastAttemptDate)],
			["Will-Retry-Until", date(r.willRetryUntil)],
		]),
	);
	return { headers: [["Content-Type", "message/delivery-status"]], body: [perMessage, ...perRecipient].join(CRLF) };
}

/** The header block as it came, unless 8-bit bytes or overlong lines need quoted-printable to stay 7-bit. */
function headersPart(bytes: Uint8Array): Part {
	const lines = [...splitLines(bytes)];
	const sevenBit = lines.every((l) => l.length <= MAX_LINE && l.every((b) => b > 0 && b < 0x80 && b !== 0x0d));
	const type: [string, string] = ["Content-Type", "text/rfc822-headers"];
	if (sevenBit) return { headers: [type], body: lines.map((l) => `${binaryString(l)}${CRLF}`).join("") };
	return {
		headers: [type, ["Content-Transfer-Encoding", "quoted-printable"]],
		body: lines.map((l) => `${quotedPrintable(l)}${CRLF}`).join(""),
	};
}

function* splitLines(bytes: Uint8Array): Generator<Uint8Array> {
	let start = 0;
	while (start < bytes.length) {
		const lf = bytes.indexOf(0x0a, start);
		const end = lf === -1 ? bytes.length : lf;
		yield bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
		start = end + 1;
	}
}

function randomBoundary(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	// "=_" never occurs in quoted-printable output, and 128 random bits nowhere else.
	return `=_dsn_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The DSN as a complete message: 7-bit, CRLF line endings. Throws TypeError on bad input. */
export function buildDsn(input: DsnInput): string {
	const report = readInput(input);
	const parts: Part[] = [textPart(report), statusPart(report)];
	if (report.originalHeaders.length > 0) parts.push(headersPart(report.originalHeaders));

	const boundary = report.boundary ?? randomBoundary();
	const delimiter = `--${boundary}`;
	if (parts.some((p) => p.body.includes(delimiter))) throw new TypeError("boundary occurs in the content");

	const references = report.originalMessageId;
	const head = fields([
		["From", formatMailbox(report.from)],
		["To", formatMailbox(report.to)],
		["Subject", subject(report.recipients)],
		["Date", rfc5322Date(report.date)],
		["Message-ID", report.messageId],
		// RFC 3834 §3.1.5: lets the sender's mail client show the notice beside the original.
		["In-Reply-To", references],
		["References", references],
		// RFC 3834 §5: marks the DSN as automatic, so auto-responders stay quiet about it.
		["Auto-Submitted", "auto-replied"],
		["MIME-Version", "1.0"],
		["Content-Type", `multipart/report; report-type=delivery-status; boundary="${boundary}"`],
	]);
	const body = parts.map((p) => `${delimiter}${CRLF}${fields(p.headers)}${CRLF}${p.body}${CRLF}`).join("");
	return `${head}${CRLF}This is a delivery status notification in MIME format.${CRLF}${CRLF}${body}${delimiter}--${CRLF}`;
}
