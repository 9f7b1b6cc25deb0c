// The one way we write a DSN to a sender, about one recipient: the domain object's delay and
// failure jobs (src/queue/dsn.ts) and the bounce of mail written in the Emergency Inbox
// (src/queue/send.ts) both come here, so both carry the same From, Message-ID and fields.
import { buildDsn, type DsnRecipient } from "./dsn";

/** What we know about the recipient; a null leaves its field out. */
export interface NoticeRecipient {
	recipient: string;
	action: "delayed" | "failed";
	status: string;
	remoteMta: string | null;
	diagnostic: string | null;
	lastAttemptAt: number | null;
	willRetryUntil: number | null;
}

export interface SenderNotice {
	/** Our host name: Reporting-MTA, and the right-hand side of the DSN's Message-ID. */
	reportingMta: string;
	/** The DSN comes from MAILER-DAEMON at this domain. */
	mailerDomain: string;
	/** The original's envelope sender, who gets the DSN (never <>: buildDsn refuses it). */
	sender: string;
	/** A new id (ULID) for the DSN's Message-ID. */
	id: string;
	now: number;
	receivedAt: number;
	/** The original's header block, as headerBlock() returns it. */
	originalHeaders: string;
	originalSubject: string;
	recipient: NoticeRecipient;
}

export const mailerDaemon = (domain: string) => `MAILER-DAEMON@${domain}`;

/** The DSN as a complete message (RFC 3464 inside RFC 6522), ready for a transport. */
export function senderDsn(n: SenderNotice): string {
	const r = n.recipient;
	const recipient: DsnRecipient = {
		finalRecipient: r.recipient,
		action: r.action,
		status: r.status,
		...(r.remoteMta ? { remoteMta: r.remoteMta } : {}),
		...(r.diagnostic ? { diagnosticCode: r.diagnostic } : {}),
		...(r.lastAttemptAt ? { lastAttemptDate: new Date(r.lastAttemptAt) } : {}),
		...(r.willRetryUntil ? { willRetryUntil: new Date(r.willRetryUntil) } : {}),
	};
	return buildDsn({
		reportingMta: n.reportingMta,
		from: `Mail Delivery System <${mailerDaemon(n.mailerDomain)}>`,
		to: n.sender,
		messageId: `<${n.id}.dsn@${n.reportingMta}>`,
		date: new Date(n.now),
		arrivalDate: new Date(n.receivedAt),
		originalHeaders: n.originalHeaders,
		originalSubject: n.originalSubject,
		recipients: [recipient],
	});
}
