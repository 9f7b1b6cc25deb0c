// SMTP verdicts the email handler gives through setReject(). The reason starts with the
// reply code and enhanced status code (RFC 3463) so every hop can show them unchanged;
// the local SMTP ingress (scripts/smtp-ingress.ts) answers its client with exactly these.

/** An SMTP reply as data: code, RFC 3463 enhanced code and text, so no caller parses a string. */
export interface SmtpReply {
	code: number;
	enhanced: string;
	text: string;
}

/** The reply as one line, "550 5.1.1 …": what setReject() and the DeferredError carry. */
export const replyLine = (r: SmtpReply) => `${r.code} ${r.enhanced} ${r.text}`;

export const reject = {
	domainNotServed: (domain: string): SmtpReply => ({ code: 550, enhanced: "5.1.2", text: `Domain ${domain} is not served here` }),
	unknownUser: (address: string): SmtpReply => ({ code: 550, enhanced: "5.1.1", text: `<${address}>: no such user here` }),
	badRecipient: (address: string): SmtpReply => ({ code: 501, enhanced: "5.1.3", text: `Bad recipient address syntax: ${address}` }),
	tooLarge: (limit: number): SmtpReply => ({ code: 552, enhanced: "5.3.4", text: `Message size exceeds fixed limit of ${limit} bytes` }),
} as const;

/**
 * Temporary answers: the sender keeps the message and tries again later (RFC 5321 §4.2.1).
 * Email Routing gives one only when the handler throws (setReject is always permanent there),
 * so these travel as a DeferredError; see receive.ts deferWith().
 */
export const defer = {
	/** Anyone can add a domain; until its owner proves it in DNS, its mail goes nowhere, and nothing is lost. */
	notVerified: (domain: string): SmtpReply => ({
		code: 451,
		enhanced: "4.7.1",
		text: `Domain ${domain} is not yet verified here; try again later`,
	}),
} as const;

/** Thrown from email(): Email Routing answers the sender with a temporary failure. */
export class DeferredError extends Error {
	constructor(readonly reply: string) {
		super(reply);
		this.name = "DeferredError";
	}
}
