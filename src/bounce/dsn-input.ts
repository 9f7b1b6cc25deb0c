// What a DSN is built from, checked once at the boundary: everything past `readInput`
// can write fields without another thought about injection or encoding.
import { isAscii } from "../lib/ascii";
import { type Mailbox, parseMailbox, printable, utf8AddrXtext } from "./encode";
import { binaryBytes, headerSectionLength } from "./headers";

export type DsnAction = "failed" | "delayed" | "delivered" | "relayed" | "expanded";

export interface DsnRecipient {
	/** `rfc822;alice@acme.test`, or the bare address (type rfc822 assumed). */
	finalRecipient: string;
	/** The recipient as the sender gave it (RFC 3461 ORCPT), when known. */
	originalRecipient?: string;
	action: DsnAction;
	/** RFC 3463 enhanced status code, "5.1.1"; its class must fit the action. */
	status: string;
	/** `dns;mx.acme.test`, or the bare host name (type dns assumed). */
	remoteMta?: string;
	/** `smtp; 550 5.1.1 no such user`; without a type, "smtp" for an SMTP reply, else our own X- type. */
	diagnosticCode?: string;
	lastAttemptDate?: Date;
	/** Only for action "delayed" (RFC 3464 §2.3.8). */
	willRetryUntil?: Date;
}

export interface DsnInput {
	/** Our host name, `emergency-inbox.example` (type dns assumed) or `dns; ...`. */
	reportingMta: string;
	/** The DSN's From, e.g. `Mail Delivery System <MAILER-DAEMON@acme.test>`. */
	from: string;
	/** The original envelope sender, who gets the DSN. Never the null reverse-path. */
	to: string;
	/** Message-ID of the DSN itself, `<left@right>`. */
	messageId: string;
	date: Date;
	/** When we received the original message. */
	arrivalDate: Date;
	/** RFC 3461 ENVID of the original, when the sender gave one. */
	originalEnvelopeId?: string;
	/** Threads the DSN under the original (In-Reply-To and References); left out if malformed. */
	originalMessageId?: string;
	/** For the human-readable part only; whitespace, line breaks included, is collapsed. */
	originalSubject?: string;
	/** The original's header block, one character per byte as `headerBlock` returns it. Anything past it is dropped. */
	originalHeaders: string;
	recipients: DsnRecipient[];
	/** Fixed only by tests; by default a random one. */
	boundary?: string;
}

export interface ReportRecipient {
	action: DsnAction;
	status: string;
	/** Field values, ready to write. */
	originalRecipient: string | null;
	finalRecipient: string;
	remoteMta: string | null;
	diagnosticCode: string | null;
	lastAttemptDate: Date | null;
	willRetryUntil: Date | null;
	/** For people: the address the sender wrote, the server's name, what went wrong. */
	address: string;
	remoteHost: string | null;
	diagnostic: { smtp: boolean; text: string } | null;
}

export interface Report {
	reportingMta: string;
	reportingHost: string;
	from: Mailbox;
	to: Mailbox;
	messageId: string;
	date: Date;
	arrivalDate: Date;
	originalEnvelopeId: string | null;
	originalMessageId: string | null;
	originalSubject: string | null;
	/** The header section only, capped; empty when there was none. */
	originalHeaders: Uint8Array;
	recipients: ReportRecipient[];
	boundary: string | null;
}

const ACTIONS: Record<DsnAction, string> = { failed: "45", delayed: "4", delivered: "2", relayed: "2", expanded: "2" };
const STATUS = /^[245]\.\d{1,3}\.\d{1,3}$/;
/** RFC 2046 §5.1.1 bchars, 1 to 70 of them, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
/** Our diagnostic-type for failures that are not an SMTP reply (RFC 3464 §2.3.6: X- for private types). */
const LOCAL_DIAGNOSTIC = "X-Emergency-Inbox";
/** A subject is quoted to people, not to parsers; past this it only pushes the explanation down. */
const MAX_SUBJECT = 200;

function line(name: string, value: unknown): string {
	if (typeof value !== "string") throw new TypeError(`${name} must be a string`);
	// A CR or LF would end the field and let the rest of the value write its own fields.
	if (/[\r\n]/.test(value)) throw new TypeError(`${name} must not contain CR or LF`);
	return value.trim();
}

function required(name: string, value: unknown): string {
	const v = line(name, value);
	if (!v) throw new TypeError(`${name} must not be empty`);
	return v;
}

function optional(name: string, value: unknown): string | null {
	return value === undefined || value === null ? null : line(name, value) || null;
}

function ascii(name: string, value: string): string {
	if (!/^[\x20-\x7e]*$/.test(value)) throw new TypeError(`${name} must be printable US-ASCII`);
	return value;
}

function date(name: string, value: unknown): Date {
	if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new TypeError(`${name} must be a valid Date`);
	return value;
}

/** RFC 3464 §2.1.2 `type; value`; `fallback` is the type when the caller gave none. */
function typed(value: string, fallback: string): { type: string; value: string } {
	const m = /^([A-Za-z][A-Za-z0-9-]*)\s*;\s*(.*)$/s.exec(value);
	return m ? { type: (m[1] as string).toLowerCase(), value: (m[2] as string).trim() } : { type: fallback, value };
}

function recipientAddress(name: string, value: unknown): { field: string; address: string } {
	const { type, value: rest } = typed(required(name, value), "rfc822");
	const address = rest.replace(/^<(.*)>$/s, "$1").trim();
	if (!address) throw new TypeError(`${name} has no address`);
	// RFC 6533 §3: an internationalised address goes as type utf-8, in its 7-bit xtext form.
	if (!isAscii(address)) return { field: `utf-8; ${utf8AddrXtext(address)}`, address };
	return { field: `${type}; ${printable(address)}`, address };
}

function mailbox(name: string, value: unknown): Mailbox {
	const m = parseMailbox(line(name, value));
	if (name === "to" && m.address === "") throw new TypeError("to is the null reverse-path: a DSN is never sent to <>");
	const at = m.address.lastIndexOf("@");
	if (at <= 0 || at === m.address.length - 1 || /[\s<>]/.test(m.address)) throw new TypeError(`${name} must hold one address`);
	return m;
}

function diagnostic(name: string, value: unknown): { field: string; smtp: boolean; text: string } | null {
	const v = optional(name, value);
	if (v === null) return null;
	const m = /^([A-Za-z][A-Za-z0-9-]*)\s*;\s*(.*)$/s.exec(v);
	const type = m ? (m[1] as string) : /^[2-5]\d\d(?:[ -]|$)/.test(v) ? "smtp" : LOCAL_DIAGNOSTIC;
	const text = (m ? (m[2] as string) : v).trim();
	// The machine-readable part is ASCII only; people get the server's own words in full.
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters in a remote reply must not reach the DSN text.
	return { field: `${type}; ${printable(text)}`, smtp: type.toLowerCase() === "smtp", text: text.replace(/[\x00-\x1f\x7f]/g, " ") };
}

function recipient(r: DsnRecipient, i: number): ReportRecipient {
	const at = `recipients[${i}]`;
	if (typeof r !== "object" || r === null) throw new TypeError(`${at} must be an object`);
	const classes = Object.hasOwn(ACTIONS, r.action) ? ACTIONS[r.action] : undefined;
	if (classes === undefined) throw new TypeError(`${at}.action must be one of ${Object.keys(ACTIONS).join(", ")}`);
	const status = r.status;
	if (typeof status !== "string" || !STATUS.test(status))
		throw new TypeError(`${at}.status must be an RFC 3463 code like 5.1.1, got ${JSON.stringify(status)}`);
	if (!classes.includes(status[0] as string)) throw new TypeError(`${at}.status ${status} does not fit action ${r.action}`);
	if (r.willRetryUntil !== undefined && r.action !== "delayed") throw new TypeError(`${at}.willRetryUntil is only for action delayed`);

	const final = recipientAddress(`${at}.finalRecipient`, r.finalRecipient);
	const original = r.originalRecipient === undefined ? null : recipientAddress(`${at}.originalRecipient`, r.originalRecipient);
	const remote = optional(`${at}.remoteMta`, r.remoteMta);
	// The remote name comes from the remote server (its greeting): sanitised, not refused.
	const remoteMta = remote === null ? null : typed(printable(remote), "dns");
	const diag = diagnostic(`${at}.diagnosticCode`, r.diagnosticCode);
	return {
		action: r.action,
		status,
		originalRecipient: original?.field ?? null,
		finalRecipient: final.field,
		remoteMta: remoteMta && `${remoteMta.type}; ${remoteMta.value}`,
		diagnosticCode: diag?.field ?? null,
		lastAttemptDate: r.lastAttemptDate === undefined ? null : date(`${at}.lastAttemptDate`, r.lastAttemptDate),
		willRetryUntil: r.willRetryUntil === undefined ? null : date(`${at}.willRetryUntil`, r.willRetryUntil),
		address: original?.address ?? final.address,
		remoteHost: remoteMta?.value || null,
		diagnostic: diag && { smtp: diag.smtp, text: diag.text },
	};
}

function messageId(value: unknown): string {
	const v = ascii("messageId", required("messageId", value));
	if (!/^<[^<>\s@]+@[^<>\s@]+>$/.test(v)) throw new TypeError(`messageId must look like <left@right>, got "${v}"`);
	return v;
}

/** The original's id comes from a stranger: a malformed one costs threading, not the DSN. */
function originalMessageId(value: unknown): string | null {
	const v = optional("originalMessageId", value);
	if (v === null) return null;
	const id = v.startsWith("<") ? v : `<${v}>`;
	return /^<[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(id) ? id : null;
}

function subject(value: unknown): string | null {
	if (value === undefined || value === null) return null;
	if (typeof value !== "string") throw new TypeError("originalSubject must be a string");
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and spaces are what is being collapsed.
	const s = value.replace(/[\x00-\x20\x7f]+/g, " ").trim();
	if (!s) return null;
	return s.length > MAX_SUBJECT ? `${s.slice(0, MAX_SUBJECT)}...` : s;
}

export function readInput(input: DsnInput): Report {
	if (typeof input !== "object" || input === null) throw new TypeError("buildDsn needs an input object");
	if (!Array.isArray(input.recipients) || input.recipients.length === 0) throw new TypeError("recipients must list at least one recipient");
	if (typeof input.originalHeaders !== "string") throw new TypeError("originalHeaders must be a string");
	const boundary = optional("boundary", input.boundary);
	if (boundary !== null && !BOUNDARY.test(boundary)) throw new TypeError("boundary must be 1 to 70 RFC 2046 bchars");
	const envelopeId = optional("originalEnvelopeId", input.originalEnvelopeId);
	const mta = typed(ascii("reportingMta", required("reportingMta", input.reportingMta)), "dns");
	const headers = binaryBytes(input.originalHeaders);
	return {
		reportingMta: `${mta.type}; ${mta.value}`,
		reportingHost: mta.value,
		from: mailbox("from", input.from),
		to: mailbox("to", input.to),
		messageId: messageId(input.messageId),
		date: date("date", input.date),
		arrivalDate: date("arrivalDate", input.arrivalDate),
		originalEnvelopeId: envelopeId && printable(envelopeId),
		originalMessageId: originalMessageId(input.originalMessageId),
		originalSubject: subject(input.originalSubject),
		originalHeaders: headers.subarray(0, headerSectionLength(headers)),
		recipients: input.recipients.map(recipient),
		boundary,
	};
}
