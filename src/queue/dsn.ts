// ei-outbound consumer, DSN jobs: build the notice from what D1 and R2 hold and send it to
// the original envelope sender, once (notices table), never to <> or in reply to a DSN or
// auto-submitted mail (src/bounce/loop-guard.ts).

import { eq } from "drizzle-orm";
import { readHeaderSection } from "../bodies/header-read";
import { headerBlock, mayNotify } from "../bounce/loop-guard";
import { mailerDaemon, senderDsn } from "../bounce/notice";
import { openDb } from "../db/client";
import { claimNotice, settleNotice } from "../db/notices";
import { domains, messages } from "../db/schema";
import { domainRelay } from "../domain/domain-relay";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { sendOutbound } from "../relay/outbound";
import type { DsnJob } from "./messages";

export async function sendDsnJob(job: DsnJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const [row] = await db
		.select({
			customerId: messages.customerId,
			domain: domains.name,
			envelopeFrom: messages.envelopeFrom,
			receivedAt: messages.receivedAt,
			subject: messages.subject,
			fromHeader: messages.fromHeader,
			messageIdHeader: messages.messageIdHeader,
			r2Key: messages.r2Key,
		})
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(eq(messages.id, job.messageId))
		.limit(1);
	if (!row) return;
	const now = clock.now();
	const key = { messageId: job.messageId, customerId: row.customerId, recipient: job.recipient, kind: job.action, mark: job.mark };
	if (!(await claimNotice(db, key, newId(now), now))) return;

	// Only the header section is read, never a body of many megabytes. It may be gone under
	// retention; the headers we kept in D1 still identify the message.
	const section = row.r2Key ? await readHeaderSection(env.MAIL, row.r2Key) : null;
	const headers = section
		? headerBlock(section)
		: [`From: ${row.fromHeader}`, `Subject: ${row.subject}`, row.messageIdHeader ? `Message-ID: ${row.messageIdHeader}` : ""]
				.filter(Boolean)
				.join("\r\n");
	const verdict = mayNotify(row.envelopeFrom, headers);
	// In the domain's delivery log, beside the attempts that led to it.
	const log = (kind: "dsn.sent" | "dsn.skipped" | "dsn.refused", detail: Record<string, string | number | null>) =>
		domainRelay(env, row.domain).note([{ messageId: job.messageId, recipient: job.recipient, kind, detail }]);
	if (!verdict.ok) {
		await settleNotice(db, key, { skipped: verdict.reason });
		await log("dsn.skipped", { action: job.action, reason: verdict.reason });
		return;
	}

	const raw = senderDsn({
		reportingMta: env.RELAY_HOSTNAME,
		mailerDomain: row.domain,
		sender: row.envelopeFrom,
		id: newId(now),
		now,
		receivedAt: row.receivedAt,
		originalHeaders: headers,
		originalSubject: row.subject,
		recipient: {
			recipient: job.recipient,
			action: job.action,
			status: job.status,
			remoteMta: job.remoteMta,
			diagnostic: job.diagnostic,
			lastAttemptAt: job.lastAttemptAt,
			willRetryUntil: job.willRetryUntil,
		},
	});
	const outcome = await sendOutbound(env, "", mailerDaemon(row.domain), row.envelopeFrom, raw);
	if (outcome.kind === "tempfail") throw new Error(`DSN for ${job.messageId} not sent yet: ${outcome.text}`);
	if (outcome.kind === "permfail") {
		await settleNotice(db, key, { skipped: `refused: ${outcome.code} ${outcome.text}` });
		await log("dsn.refused", { action: job.action, code: outcome.code, text: outcome.text });
		return;
	}
	await settleNotice(db, key, { sentAt: now });
	await log("dsn.sent", { action: job.action, status: job.status, to: row.envelopeFrom });
}
