// ei-outbound consumer, send jobs: mail written in the Emergency Inbox, one recipient at a
// time. A recipient on a domain we serve goes through our own inbound path (a colleague on a
// down domain finds it in their Emergency Inbox; on an up domain it is relayed to their
// server); anyone else goes out through the outbound transport. A permanent failure lands
// as a bounce in the sender's own Emergency Inbox. Each recipient's outcome is recorded
// before the job is acknowledged, so a redelivered job sends nothing twice.
import { and, eq } from "drizzle-orm";
import { headerBlock } from "../bounce/loop-guard";
import { senderDsn } from "../bounce/notice";
import { openDb } from "../db/client";
import { findDomainByName, smarthostOf } from "../db/domains";
import { appendEvent, event } from "../db/events";
import { claimNotice, settleNotice } from "../db/notices";
import { deliveries, domains, messages } from "../db/schema";
import { pendingRecipients } from "../db/sent";
import { receiveEmail } from "../ingest/receive";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { signLink } from "../lib/signed-links";
import { parseAddress } from "../mail/address";
import { composeMessage } from "../mail/compose";
import { parseEmail } from "../mail/parse";
import { sendOutbound } from "../relay/outbound";
import type { Destination, Outcome } from "../relay/types";
import type { SendJob } from "./messages";

/** Cloudflare Email Service takes at most 5 MiB a message; bigger attachments go as links. */
const EMAIL_SERVICE_LIMIT = 5 * 1024 * 1024;
const LINK_LIFETIME_MS = 7 * 86_400_000;

export async function sendJob(job: SendJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const message = await db.query.messages.findFirst({ where: eq(messages.id, job.messageId) });
	if (!message?.r2Key || !message.userId) return;
	const obj = await env.MAIL.get(message.r2Key);
	if (!obj) return;
	const raw = new Uint8Array(await obj.arrayBuffer());
	const senderDomain = await db.query.domains.findFirst({ where: eq(domains.id, message.domainId) });
	const smarthost = senderDomain ? await smarthostOf(senderDomain, env.CREDENTIALS_KEY) : null;
	let retryLater = false;

	for (const d of await pendingRecipients(db, message.id)) {
		const outcome = await deliverOne(env, clock, message.envelopeFrom, d.recipient, raw, message.id, message.userId, smarthost);
		const now = clock.now();
		await db
			.update(deliveries)
			.set({
				state: outcome.kind === "delivered" ? "delivered" : outcome.kind === "permfail" ? "failed" : "deferred",
				attempts: d.attempts + 1,
				lastAttemptAt: now,
				lastCode: outcome.code,
				lastEnhancedCode: outcome.enhanced,
				lastText: outcome.text.slice(0, 1000),
				...(outcome.kind === "delivered" ? { deliveredAt: now } : {}),
			})
			.where(eq(deliveries.id, d.id));
		await appendEvent(
			db,
			event(now, {
				customerId: message.customerId,
				domainId: message.domainId,
				messageId: message.id,
				actorUserId: message.userId,
				kind: `outbound.${outcome.kind}`,
				detail: { to: d.recipient, code: outcome.code, text: outcome.text.slice(0, 300) },
			}),
		);
		if (outcome.kind === "tempfail") retryLater = true;
	}

	// Bounces for every failed recipient whose bounce has not gone out yet (once each).
	const failed = await db
		.select()
		.from(deliveries)
		.where(and(eq(deliveries.messageId, message.id), eq(deliveries.state, "failed")));
	for (const d of failed) await bounceToSender(env, clock, message, d, raw);

	const all = await db.select({ state: deliveries.state }).from(deliveries).where(eq(deliveries.messageId, message.id));
	const status = all.some((d) => d.state === "failed") ? "bounced" : all.every((d) => d.state === "delivered") ? "delivered" : "deferred";
	await db.update(messages).set({ status, updatedAt: clock.now() }).where(eq(messages.id, message.id));
	if (retryLater) throw new Error(`message ${message.id}: some recipients deferred; the queue retries them`);
}

async function deliverOne(
	env: Env,
	clock: Clock,
	from: string,
	to: string,
	raw: Uint8Array,
	messageId: string,
	userId: string,
	smarthost: Destination | null,
): Promise<Outcome> {
	const rcpt = parseAddress(to);
	const served = rcpt ? await findDomainByName(openDb(env.DB), rcpt.domain) : undefined;
	// An unverified domain is only a claim: its mail goes out to the Internet like anyone else's.
	if (served?.verifiedAt != null) {
		const result = await receiveEmail(
			{ from, to, raw: new Blob([raw]).stream(), rawSize: raw.byteLength, setReject: () => {} },
			env,
			clock,
		);
		if (result.outcome === "deferred" || result.outcome === "rejected") {
			const { code, enhanced, text } = result.reply;
			return { kind: result.outcome === "deferred" ? "tempfail" : "permfail", code, enhanced, text };
		}
		return { kind: "delivered", code: 250, enhanced: "2.0.0", text: `stored for ${rcpt?.domain}` };
	}
	const text = new TextDecoder().decode(raw);
	const viaEmailService = !smarthost && !env.OUTBOUND_SMTP;
	const body =
		viaEmailService && raw.byteLength > EMAIL_SERVICE_LIMIT ? await withAttachmentLinks(env, clock, raw, messageId, userId) : text;
	return sendOutbound(env, from, from, to, body, smarthost);
}

/** The same message with its attachments replaced by expiring download links (Email Service's 5 MiB limit). */
async function withAttachmentLinks(env: Env, clock: Clock, raw: Uint8Array, messageId: string, userId: string): Promise<string> {
	const email = await parseEmail(raw);
	const key = env.CREDENTIALS_KEY ?? "";
	const exp = clock.now() + LINK_LIFETIME_MS;
	const lines: string[] = [];
	for (const [index, a] of email.attachments.entries()) {
		const token = await signLink(key, { kind: "attachment", messageId, userId, part: String(index), exp });
		lines.push(`- ${a.filename ?? "attachment"}: ${env.PUBLIC_URL}/api/files/${token}`);
	}
	const text = `${email.text ?? ""}\n\n-- \nAttachments (too large for e-mail; the links work until ${new Date(exp).toUTCString()}):\n${lines.join("\n")}\n`;
	const addrs = (list: typeof email.to) => (list ?? []).flatMap((a) => (a.address ? [{ name: a.name, addr: a.address }] : []));
	return composeMessage({
		from: { name: email.from?.name ?? "", addr: email.from?.address ?? "" },
		to: addrs(email.to),
		cc: addrs(email.cc),
		subject: email.subject ?? "",
		text,
		messageId: email.messageId ?? `<${messageId}@${env.RELAY_HOSTNAME}>`,
		date: new Date(email.date ?? clock.now()),
		inReplyTo: email.inReplyTo ?? null,
		references: email.references ?? null,
		attachments: [],
	});
}

/** A failed recipient becomes a DSN in the sender's own mailbox, through the inbound path. */
async function bounceToSender(
	env: Env,
	clock: Clock,
	message: typeof messages.$inferSelect,
	d: typeof deliveries.$inferSelect,
	raw: Uint8Array,
): Promise<void> {
	const db = openDb(env.DB);
	const now = clock.now();
	const key = { messageId: message.id, customerId: message.customerId, recipient: d.recipient, kind: "failed", mark: 0 };
	if (!(await claimNotice(db, key, newId(now), now))) return;
	const senderDomain = message.envelopeFrom.split("@")[1] ?? env.RELAY_HOSTNAME;
	const dsn = senderDsn({
		reportingMta: env.RELAY_HOSTNAME,
		mailerDomain: senderDomain,
		sender: message.envelopeFrom,
		id: newId(now),
		now,
		receivedAt: message.receivedAt,
		originalHeaders: headerBlock(raw),
		originalSubject: message.subject,
		recipient: {
			recipient: d.recipient,
			action: "failed",
			status: d.lastEnhancedCode && /^5\./.test(d.lastEnhancedCode) ? d.lastEnhancedCode : "5.0.0",
			remoteMta: null,
			diagnostic: d.lastText ? `${d.lastCode ? `${d.lastCode} ` : ""}${d.lastText}` : null,
			lastAttemptAt: d.lastAttemptAt,
			willRetryUntil: null,
		},
	});
	const bytes = new TextEncoder().encode(dsn);
	const result = await receiveEmail(
		{ from: "<>", to: message.envelopeFrom, raw: new Blob([bytes]).stream(), rawSize: bytes.byteLength, setReject: () => {} },
		env,
		clock,
	);
	const refused = result.outcome === "rejected" || result.outcome === "deferred";
	await settleNotice(db, key, refused ? { skipped: "the sender's own mailbox refused the bounce" } : { sentAt: now });
}
