// The email() handler: envelope → recipient policy → durable store → the domain's Durable Object.
// Nothing here catches a storage error: if we cannot store, Email Routing must see a failure
// and the sender retries (a temporary failure), never a silent 250.
import { openDb } from "../db/client";
import { findRedelivery, insertReceived } from "../db/messages";
import { resolveRecipient } from "../db/recipients";
import { sha256Hex } from "../lib/bytes";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { parseAddress } from "../mail/address";
import { summarize } from "../mail/parse";
import { putRaw } from "../spool/store";
import { handOver } from "./hand-over";
import { readRaw, TooLargeError } from "./read-raw";
import { reject } from "./verdict";

/** The parts of ForwardableEmailMessage we rely on; tests build the same shape. */
export type InboundEmail = Pick<ForwardableEmailMessage, "from" | "to" | "raw" | "rawSize" | "setReject">;

export interface ReceiveResult {
	outcome: "stored" | "duplicate" | "rejected";
	messageId?: string;
}

export async function receiveEmail(message: InboundEmail, env: Env, clock: Clock): Promise<ReceiveResult> {
	const rcpt = parseAddress(message.to);
	if (!rcpt) return rejectWith(message, reject.badRecipient(message.to));

	const db = openDb(env.DB);
	const candidates = rcpt.canonical === rcpt.mailbox ? [rcpt.canonical] : [rcpt.canonical, rcpt.mailbox];
	const recipient = await resolveRecipient(db, rcpt.domain, candidates);
	if (!recipient) return rejectWith(message, reject.domainNotServed(rcpt.domain));
	const { domain, userId } = recipient;
	if (!userId && domain.unknownRecipients === "reject") return rejectWith(message, reject.unknownUser(rcpt.canonical));
	if (message.rawSize > domain.maxMessageBytes) return rejectWith(message, reject.tooLarge(domain.maxMessageBytes));

	let raw: Uint8Array;
	try {
		raw = await readRaw(message.raw, domain.maxMessageBytes);
	} catch (err) {
		if (err instanceof TooLargeError) return rejectWith(message, reject.tooLarge(domain.maxMessageBytes));
		throw err;
	}

	const sha256 = await sha256Hex(raw);
	const existing = await findRedelivery(db, domain.id, message.to, sha256);
	if (existing) {
		// Stored on an earlier attempt whose acknowledgement was lost: accept again without a
		// second copy, and make sure the domain's Durable Object has it.
		await handOver(env, domain.name, { id: existing.id, receivedAt: existing.receivedAt, recipient: message.to });
		return { outcome: "duplicate", messageId: existing.id };
	}

	const now = clock.now();
	const id = newId(now);
	const summary = await summarize(raw);
	const r2Key = await putRaw(env.MAIL, domain.customerId, id, raw, sha256);
	try {
		await insertReceived(
			db,
			{
				id,
				customerId: domain.customerId,
				domainId: domain.id,
				userId,
				// The null reverse-path (bounces, RFC 5321 §4.5.5) is stored as "".
				envelopeFrom: message.from === "<>" ? "" : message.from,
				envelopeTo: message.to,
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
				r2Key,
				hasAttachments: summary.hasAttachments,
				parseError: summary.parseError,
				updatedAt: now,
			},
			newId(now),
			newId(now),
			summary.bodyText,
		);
	} catch (err) {
		// Did the batch commit even though we saw an error? Ask before touching the body: if
		// this lookup fails too, the object stays (an invisible orphan beats a row without body).
		const stored = await findRedelivery(db, domain.id, message.to, sha256);
		if (stored?.id !== id) await env.MAIL.delete(r2Key);
		if (!stored) throw err;
		if (stored.id !== id) {
			// A concurrent delivery of the same message won the insert: that copy stands.
			await handOver(env, domain.name, { id: stored.id, receivedAt: stored.receivedAt, recipient: message.to });
			return { outcome: "duplicate", messageId: stored.id };
		}
	}

	await handOver(env, domain.name, { id, receivedAt: now, recipient: message.to });
	return { outcome: "stored", messageId: id };
}

function rejectWith(message: InboundEmail, reason: string): ReceiveResult {
	message.setReject(reason);
	return { outcome: "rejected" };
}
