// The scripted SMTP server's script and what it reports, as plain types: shared by the
// Node side (scripted-smtp.ts) and the worker tests that drive it over HTTP, which must
// not see Node's types.

export type Stage = "greeting" | "ehlo" | "mail" | "rcpt" | "data" | "eod";

/** Every field optional; the empty script accepts everything. Replies are whole lines: "550 5.1.1 no such user". */
export interface SmtpScript {
	/** A refusal ("421 4.3.2 busy", "554 no service") or a custom 220 line. */
	greeting?: string;
	/** Reply to EHLO, e.g. "502 5.5.1 not implemented": a server without ESMTP (HELO still works). */
	ehlo?: string;
	/** Advertise PIPELINING (default true). */
	pipelining?: boolean;
	/** Offer STARTTLS with smtp-server's built-in self-signed certificate (default false). */
	starttls?: boolean;
	/** Offer AUTH PLAIN/LOGIN accepting these credentials. */
	auth?: { user: string; pass: string };
	/** AUTH mechanisms to offer (default PLAIN and LOGIN). */
	authMethods?: ("PLAIN" | "LOGIN")[];
	/** Refuse MAIL FROM until authenticated. */
	authRequired?: boolean;
	/** Advertised and enforced SIZE limit in bytes. */
	size?: number;
	/** Reply to MAIL FROM. */
	mail?: string;
	/** Reply to RCPT TO, per address. */
	rcpt?: Record<string, string>;
	/** Recipients per transaction; past it smtp-server answers "452 4.5.3 too many recipients". */
	maxRecipients?: number;
	/** Reply to the DATA command (instead of 354). */
	data?: string;
	/** Reply after the end of data. */
	eod?: string;
	/** Wait this long before replying at a stage (to outlast a client's timeout). */
	delayMs?: Partial<Record<Stage, number>>;
	/** Close the connection: after sending the greeting, or on receiving that command (data: DATA; eod: the final "."). */
	hangupAfter?: Stage;
	/** Only the first n connections follow the script's failures; later ones accept normally. */
	failFirst?: number;
}

/** The JSON a test sees for a received message: `raw` as base64. */
export interface ReceivedMessageJson {
	from: string;
	to: string[];
	raw: string;
	tls: boolean;
	auth: string | null;
}
