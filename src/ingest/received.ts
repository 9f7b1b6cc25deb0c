// What receiving a message produces, shared by the single-recipient path (receive.ts) and a
// group's copies (fan-out.ts): the verdict as data, and the columns every stored copy takes.
import type { NewMessage } from "../db/messages";
import type { Summary } from "../mail/parse";
import type { SmtpReply } from "./verdict";

export type ReceiveResult =
	| {
			outcome: "stored" | "duplicate";
			messageId: string;
			/** A group address: every member's copy (messageId is the first). */
			messageIds?: string[];
	  }
	/** rejected: the permanent reply given through setReject(); deferred: the temporary one the sender should see. */
	| { outcome: "rejected" | "deferred"; reply: SmtpReply };

/** The columns every stored inbound copy takes from the message's envelope and parsed headers. */
export function receivedColumns(from: string, summary: Summary, raw: Uint8Array, sha256: string, now: number) {
	return {
		// The null reverse-path (bounces, RFC 5321 §4.5.5) is stored as "".
		envelopeFrom: from === "<>" ? "" : from,
		fromHeader: summary.from,
		toHeader: summary.to,
		ccHeader: summary.cc,
		subject: summary.subject,
		snippet: summary.snippet,
		messageIdHeader: summary.messageId,
		sentAt: summary.sentAt,
		receivedAt: now,
		size: raw.byteLength,
		sha256,
		hasAttachments: summary.hasAttachments,
		parseError: summary.parseError,
		updatedAt: now,
	} satisfies Partial<NewMessage>;
}
