// SMTP replies (RFC 5321 §4.2): assembling multi-line replies, reading enhanced status
// codes (RFC 3463) and turning replies into delivery outcomes. Pure: no sockets here.
import { tempfail } from "./outcome";
import type { Outcome } from "./types";

/** A complete reply. `lines` hold the text after "NNN-" / "NNN ", one per reply line. */
export interface Reply {
	code: number;
	/** The enhanced status code the server gave on the first line, if any. */
	enhanced: string | null;
	lines: string[];
}

/**
 * A broken or hostile server can stream an endless multi-line reply to pin the worker's
 * memory and CPU; real replies (even a long EHLO) are a few hundred bytes.
 */
export const MAX_REPLY_BYTES = 64 * 1024;
export const MAX_REPLY_LINES = 1000;

/**
 * Ends the session: timeouts, lost connections, protocol errors, a 421. Thrown inside the
 * client and always caught there; callers of the client only ever see its outcome.
 */
export class SessionAbort extends Error {
	constructor(readonly outcome: Outcome) {
		super(outcome.text);
		this.name = "SessionAbort";
	}
}

/**
 * The same failure reported as temporary: for messages a failed session never reached (a
 * wrong password must not bounce mail), keeping the server's code and text for the log.
 */
export function asTempfail(outcome: Outcome): Outcome {
	return { ...outcome, kind: "tempfail", enhanced: outcome.enhanced?.replace(/^5\./, "4.") ?? null };
}

export function protocolError(text: string): SessionAbort {
	return new SessionAbort(tempfail(`protocol error: ${text}`, "4.5.0"));
}

const REPLY_LINE = /^([2-5][0-9]{2})(?:([ -])(.*))?$/s;
const ENHANCED = /^([245])\.([0-9]{1,3})\.([0-9]{1,3})(?=\s|$)/;

/** Collects reply lines until the last one ("NNN text" rather than "NNN-text"). */
export class ReplyAssembler {
	private code = 0;
	private lines: string[] = [];
	private bytes = 0;

	/** Takes one line without its CRLF; returns the reply once it is complete. */
	push(line: string): Reply | null {
		const m = REPLY_LINE.exec(line);
		if (!m) throw protocolError(`malformed reply line ${JSON.stringify(line.slice(0, 80))}`);
		const code = Number(m[1]);
		// A continuation with another code means we are out of step with the server.
		if (this.lines.length > 0 && code !== this.code) throw protocolError(`reply code changed from ${this.code} to ${code}`);
		this.code = code;
		this.lines.push(m[3] ?? "");
		this.bytes += line.length + 2;
		if (this.bytes > MAX_REPLY_BYTES || this.lines.length > MAX_REPLY_LINES) {
			throw protocolError(`reply longer than ${MAX_REPLY_LINES} lines or ${MAX_REPLY_BYTES} bytes`);
		}
		if (m[2] === "-") return null;
		const reply = { code, enhanced: enhancedOf(code, this.lines[0] ?? ""), lines: this.lines };
		this.code = 0;
		this.lines = [];
		this.bytes = 0;
		return reply;
	}
}

/** The enhanced code at the start of a reply's text, if its class matches the reply code's. */
function enhancedOf(code: number, text: string): string | null {
	const m = ENHANCED.exec(text);
	if (!m || m[1] !== String(code)[0]) return null;
	return `${m[1]}.${Number(m[2])}.${Number(m[3])}`;
}

/** The reply's text on one line, without the enhanced code servers repeat on every line. */
export function replyText(reply: Reply): string {
	const prefix = reply.enhanced ? ENHANCED : null;
	return reply.lines
		.map((line) => (prefix ? line.replace(prefix, "") : line).trim())
		.filter((line) => line !== "")
		.join(" ");
}

/**
 * 2xx delivered, 4xx tempfail, 5xx permfail. A server that gives no enhanced code gets the
 * class's generic one (X.0.0), so DSNs always have a Status to report.
 */
export function outcomeOf(reply: Reply): Outcome {
	const cls = Math.floor(reply.code / 100);
	const kind = cls === 5 ? "permfail" : cls === 4 ? "tempfail" : "delivered";
	return { kind, code: reply.code, enhanced: reply.enhanced ?? `${cls}.0.0`, text: replyText(reply) };
}

/**
 * The outcome of a reply that should have been positive (2xx, or 3xx for `intermediate`).
 * A positive reply of the wrong kind (354 to MAIL, 250 to DATA) means we are out of step:
 * the session cannot go on.
 */
export function expectOutcome(reply: Reply, wanted: 2 | 3, waitingFor: string): Outcome {
	const cls = Math.floor(reply.code / 100);
	if (cls === 4 || cls === 5) return outcomeOf(reply);
	if (cls !== wanted) throw protocolError(`unexpected ${reply.code} reply to ${waitingFor}`);
	return outcomeOf(reply);
}

/** The host name a 220 greeting announces ("220 mx.example ESMTP ready"), if it looks like one. */
export function greetingHost(reply: Reply): string | null {
	const first = (reply.lines[0] ?? "").trim().split(/\s+/)[0] ?? "";
	if (first.length === 0 || first.length > 255) return null;
	return /^[A-Za-z0-9.-]+$/.test(first) || /^\[[0-9A-Za-z:.]+\]$/.test(first) ? first : null;
}
