// The email() handler: envelope → recipient policy → durable store → the domain's Durable Object.
// Nothing here catches a storage error: if we cannot store, Email Routing must see a failure
// and the sender retries (a temporary failure), never a silent 250.

import { putRaw } from "../bodies/store";
import { openDb } from "../db/client";
import { findRedelivery, insertReceived, isFinal } from "../db/messages";
import { resolveRecipient } from "../db/recipients";
import { indexEntry } from "../domain/mailbox-index";
import { sha256Hex } from "../lib/bytes";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { parseAddress } from "../mail/address";
import { summarize } from "../mail/parse";
import { storeForGroup } from "./fan-out";
import { handOver } from "./hand-over";
import { readRaw, TooLargeError } from "./read-raw";
import { type ReceiveResult, receivedColumns } from "./received";
import { DeferredError, defer, reject, replyLine, type SmtpReply } from "./verdict";

/** The parts of ForwardableEmailMessage we rely on; tests build the same shape. */
export type InboundEmail = Pick<ForwardableEmailMessage, "from" | "to" | "raw" | "rawSize" | "setReject">;

/** Where wrangler's local endpoint stands in for Email Routing (see deferWith). */
const LOCAL_ENVIRONMENTS = new Set(["local", "test"]);

/** The email() handler itself: a deferral becomes a throw, Email Routing's temporary failure. */
export async function handleEmail(message: InboundEmail, env: Env, clock: Clock): Promise<void> {
	const result = await receiveEmail(message, env, clock);
	if (result.outcome === "deferred") deferWith(message, env, replyLine(result.reply));
}

function deferWith(message: InboundEmail, env: Env, reply: string): never {
	// Production: the throw alone (setReject would turn Email Routing's answer permanent, and
	// the sender would drop the message). wrangler's local endpoint reports a reject reason
	// next to the exception, which is how the local SMTP ingress and the tests read our exact reply.
	if (LOCAL_ENVIRONMENTS.has(env.ENVIRONMENT)) message.setReject(reply);
	throw new DeferredError(reply);
}

export async function receiveEmail(message: InboundEmail, env: Env, clock: Clock): Promise<ReceiveResult> {
	const rcpt = parseAddress(message.to);
	if (!rcpt) return rejectWith(message, reject.badRecipient(message.to));

	const db = openDb(env.DB);
	const candidates = rcpt.canonical === rcpt.mailbox ? [rcpt.canonical] : [rcpt.canonical, rcpt.mailbox];
	const recipient = await resolveRecipient(db, rcpt.domain, candidates);
	if (!recipient) return rejectWith(message, reject.domainNotServed(rcpt.domain));
	const { domain, userId, group } = recipient;
	// Anyone can add a domain; until its owner proves it in DNS, its mail is not theirs to read.
	// Before the user check, so an unverified domain says nothing about who exists there.
	if (domain.verifiedAt === null) return { outcome: "deferred", reply: defer.notVerified(rcpt.domain) };
	// A group with no enabled member is treated as an unknown address: the domain's policy decides.
	const members = group?.members ?? [];
	if (!userId && members.length === 0 && domain.unknownRecipients === "reject")
		return rejectWith(message, reject.unknownUser(rcpt.canonical));
	if (message.rawSize > domain.maxMessageBytes) return rejectWith(message, reject.tooLarge(domain.maxMessageBytes));

	let raw: Uint8Array;
	try {
		raw = await readRaw(message.raw, domain.maxMessageBytes);
	} catch (err) {
		if (err instanceof TooLargeError) return rejectWith(message, reject.tooLarge(domain.maxMessageBytes));
		throw err;
	}

	const sha256 = await sha256Hex(raw);
	if (group && members.length > 0) {
		return storeForGroup(env, clock, { from: message.from, domain, groupAddress: group.address, members, raw, sha256 });
	}
	const existing = await findRedelivery(db, domain.id, message.to, sha256);
	if (existing) {
		// Stored on an earlier attempt whose acknowledgement was lost: accept again without a
		// second copy, and make sure the domain's Durable Object has it, unless it is done with
		// it (delivered or bounced): handed over again, it would be sent, logged and counted twice.
		if (!isFinal(existing.status))
			await handOver(env, domain.name, { id: existing.id, receivedAt: existing.receivedAt, recipient: message.to });
		return { outcome: "duplicate", messageId: existing.id };
	}

	const now = clock.now();
	const id = newId(now);
	const summary = await summarize(raw);
	const columns = receivedColumns(message.from, summary, raw, sha256, now);
	const r2Key = await putRaw(env.MAIL, domain.customerId, id, raw, sha256);
	try {
		await insertReceived(db, { ...columns, id, customerId: domain.customerId, domainId: domain.id, userId, envelopeTo: message.to, r2Key });
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

	await handOver(env, domain.name, {
		id,
		receivedAt: now,
		recipient: message.to,
		...(userId ? { search: { userId, entry: indexEntry(id, columns, summary.bodyText) } } : {}),
	});
	return { outcome: "stored", messageId: id };
}

function rejectWith(message: InboundEmail, reply: SmtpReply): ReceiveResult {
	message.setReject(replyLine(reply));
	return { outcome: "rejected", reply };
}
