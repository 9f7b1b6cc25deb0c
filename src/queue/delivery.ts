// ei-delivery consumer: one SMTP session per job, to the domain's own server.
// At-least-once: re-check D1 before sending (final messages are skipped), record every
// outcome in D1, tell the domain's Durable Object, and only then acknowledge.

import { eq } from "drizzle-orm";
import { readRawAfter } from "../bodies/store";
import { openDb } from "../db/client";
import { loadPending, type PendingMessage, recordAttempts } from "../db/deliveries";
import { deliveryTarget, findDomainByName } from "../db/domains";
import { messages } from "../db/schema";
import type { BatchReport } from "../domain/domain-relay";
import { domainRelay } from "../domain/domain-relay";
import type { Clock } from "../lib/clock";
import { tempfail } from "../relay/outcome";
import { deliverSession, unreachable } from "../relay/smtp-client";
import { traceHeader } from "../relay/trace-header";
import type { Outcome, OutgoingMessage } from "../relay/types";
import type { DeliveryJob } from "./messages";

const BODY_MISSING: Outcome = { kind: "permfail", code: 0, enhanced: "5.3.0", text: "the stored message body is missing" };

export async function deliverJob(job: DeliveryJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const stub = domainRelay(env, job.domain);
	const domain = await findDomainByName(db, job.domain);
	const pending = await loadPending(db, job.messageIds);
	const byId = new Map(pending.map((m) => [m.id, m]));
	// Messages already final in D1 (a redelivered job) are reported as such, never re-sent.
	const settled = job.messageIds
		.filter((id) => !byId.has(id))
		.map((id) => ({ messageId: id, outcome: { kind: "delivered", code: 250, enhanced: null, text: "already recorded" } as Outcome }));
	const ordered = job.messageIds.map((id) => byId.get(id)).filter((m): m is PendingMessage => m !== undefined);

	const report = (results: BatchReport["results"], sessionError: Outcome | null, remoteMta: string): BatchReport => ({
		batchId: job.batchId,
		results: [...settled, ...results],
		sessionError,
		refused: sessionError !== null && unreachable(sessionError),
		remoteMta,
	});

	if (!domain || ordered.length === 0) {
		await stub.report(report([], null, ""));
		return;
	}

	const target = await deliveryTarget(domain, env);
	if (!target.ok) {
		const failed = tempfail(target.text, "4.4.0");
		const now = clock.now();
		await recordAttempts(
			db,
			ordered.map((message) => ({ message, outcome: failed })),
			now,
		);
		await stub.report(report([], failed, ""));
		return;
	}
	const dest = target.dest;

	// Which bodies are there is asked up front (metadata only), so a message without one is
	// settled as before and never opens a session. The bytes themselves are read one message
	// at a time, when its transaction begins: a batch of 50 MB messages holds one of them.
	const outgoing: OutgoingMessage[] = [];
	const missing: { message: PendingMessage; outcome: Outcome }[] = [];
	const stored = await Promise.all(ordered.map((m) => (m.r2Key ? env.MAIL.head(m.r2Key) : null)));
	const encoder = new TextEncoder();
	for (const [i, m] of ordered.entries()) {
		const key = m.r2Key;
		if (!key || !stored[i]) {
			missing.push({ message: m, outcome: BODY_MISSING });
			continue;
		}
		const trace = encoder.encode(traceHeader(env.RELAY_HOSTNAME, m.id, m.envelopeTo, m.receivedAt));
		outgoing.push({
			id: m.id,
			from: m.envelopeFrom,
			to: [m.envelopeTo],
			// Gone between the look and the read (retention, a deleted customer): the same outcome.
			raw: async () => (await readRawAfter(env.MAIL, key, trace)) ?? BODY_MISSING,
		});
	}

	const session = outgoing.length > 0 ? await deliverSession(dest, outgoing, { heloName: env.RELAY_HOSTNAME }) : null;
	const attempts = [...missing];
	for (const [i, out] of outgoing.entries()) {
		const message = byId.get(out.id) as PendingMessage;
		const outcome = session?.results[i]?.recipients[message.envelopeTo] ?? session?.sessionError ?? tempfail("not attempted", "4.4.0");
		attempts.push({ message, outcome });
	}
	await recordAttempts(db, attempts, clock.now());
	await dropDeliveredBodies(env, attempts, domain.retainDeliveredSeconds);
	await stub.report(
		report(
			attempts.map((a) => ({ messageId: a.message.id, outcome: a.outcome })),
			session?.sessionError ?? null,
			session?.remoteMta ?? dest.host,
		),
	);
}

/**
 * Mail delivered without ever being held keeps no body here unless the domain asks for a
 * retention window (the cron purge handles windows). Held mail stays readable (retain_held).
 */
async function dropDeliveredBodies(env: Env, attempts: { message: PendingMessage; outcome: Outcome }[], retainDeliveredSeconds: number) {
	if (retainDeliveredSeconds > 0) return;
	const db = openDb(env.DB);
	// Never held, so never indexed (src/queue/search-index.ts): nothing to drop from search.
	for (const { message, outcome } of attempts) {
		if (outcome.kind !== "delivered" || message.heldAt !== null || !message.r2Key) continue;
		await db.update(messages).set({ r2Key: null }).where(eq(messages.id, message.id));
		await env.MAIL.delete(message.r2Key);
	}
}
