// The delivery contract between the domain's Durable Object, the queue consumer and the SMTP
// client. Outcomes are data: a transport never throws to mean "try later".
/** STARTTLS: refuse to go on without it, use it when offered, or never (a closed network only). */
export type TlsMode = "required" | "opportunistic" | "off";

/** What a customer's server answered at RCPT TO when asked whether an address exists. */
export type DiscoveryOutcome = "accepted" | "refused" | "unknown";

export interface Destination {
	host: string;
	port: number;
	tls: TlsMode;
	/** AUTH PLAIN/LOGIN credentials, already decrypted; absent: no AUTH. */
	auth?: { user: string; pass: string };
}

/** RFC 5321 §4.5.3.2 timeouts, in milliseconds. */
export interface RelayTimeouts {
	connect: number;
	/** Initial 220 greeting: 5 minutes. */
	greeting: number;
	/** EHLO/HELO, STARTTLS, AUTH, RSET, QUIT replies. */
	command: number;
	/** MAIL FROM: 5 minutes. */
	mail: number;
	/** Each RCPT TO: 5 minutes. */
	rcpt: number;
	/** DATA's 354: 2 minutes. */
	dataInit: number;
	/** Each block of data written: 3 minutes. */
	dataBlock: number;
	/** The reply after the final ".": 10 minutes. */
	dataTerm: number;
}

export const RFC5321_TIMEOUTS: RelayTimeouts = {
	connect: 30_000,
	greeting: 300_000,
	command: 300_000,
	mail: 300_000,
	rcpt: 300_000,
	dataInit: 120_000,
	dataBlock: 180_000,
	dataTerm: 600_000,
};

export interface OutgoingMessage {
	/** Our message id (ULID); results come back keyed by it. */
	id: string;
	/** Envelope sender; "" is the null reverse-path <>. */
	from: string;
	/** Envelope recipients, as they should appear in RCPT TO. */
	to: string[];
	/**
	 * The bytes to send (our trace header already prepended), any line endings. Asked for
	 * only when this message's transaction begins and let go when it ends, so a session over
	 * many messages holds one body at a time. When the bytes cannot be had, the outcome every
	 * recipient gets instead; a rejection tempfails the message, and the session goes on.
	 */
	raw: () => Promise<Uint8Array | Outcome>;
}

export type OutcomeKind = "delivered" | "tempfail" | "permfail";

export interface Outcome {
	kind: OutcomeKind;
	/** SMTP reply code; 0 when no reply was had (connection refused, timeout, TLS failure). */
	code: number;
	/** RFC 3463 enhanced status code such as "5.1.1", when the server gave one (or we inferred one). */
	enhanced: string | null;
	/** The reply text, or what went wrong locally ("connection refused", "timeout waiting for DATA reply"). */
	text: string;
}

export interface MessageResult {
	id: string;
	/** One outcome per envelope recipient of the message. */
	recipients: Record<string, Outcome>;
}

export interface SessionResult {
	/** One entry per message handed in, in order; messages never attempted get a tempfail. */
	results: MessageResult[];
	/** Set when the session failed before any message could be tried (connect, greeting, EHLO, TLS, AUTH). */
	sessionError: Outcome | null;
	/** What the server said and what we sent (credentials and message bodies elided), for admins. */
	transcript: string[];
	/** The server's greeting host / name, for DSN Remote-MTA. */
	remoteMta: string;
	tls: boolean;
}
