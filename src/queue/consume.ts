import { eq } from "drizzle-orm";
import { openDb } from "../db/client";
import { appendEvent, event } from "../db/events";
import { messages } from "../db/schema";
import type { Clock } from "../lib/clock";
import { deliverJob } from "./delivery";
import { sendDsnJob } from "./dsn";
import { sendInvite } from "./invite";
import type { DeliveryJob, IndexJob, OutboundJob } from "./messages";
import { notifyOutage, sendNotice } from "./notify";
import { indexJob } from "./search-index";
import { sendJob } from "./send";
import { sendSigninCode } from "./signin-code";

/**
 * Queue entry point. Messages are handled concurrently and each on its own: two delivery
 * jobs in one batch are two SMTP sessions at once (the domain's object already bounds how
 * many it dispatches), and a failure retries that message (with backoff) while the rest are
 * acknowledged. After max_retries the queue moves it to the dead-letter queue, whose
 * consumer records it for admins.
 */
export async function consumeQueue(batch: MessageBatch, env: Env, clock: Clock): Promise<void> {
	await Promise.all(
		batch.messages.map(async (msg) => {
			try {
				await handle(batch.queue, msg, env, clock);
				msg.ack();
			} catch (err) {
				console.error(`queue ${batch.queue}: message ${msg.id} failed (attempt ${msg.attempts})`, err);
				msg.retry({ delaySeconds: Math.min(60 * 2 ** (msg.attempts - 1), 3600) });
			}
		}),
	);
}

async function handle(queue: string, msg: Message, env: Env, clock: Clock): Promise<void> {
	if (queue.endsWith("-dlq")) return recordDeadLetter(queue, msg, env, clock);
	if (queue === "ei-delivery") return deliverJob(msg.body as DeliveryJob, env, clock);
	if (queue === "ei-index") return indexJob(msg.body as IndexJob, env);
	if (queue === "ei-outbound") {
		const job = msg.body as OutboundJob;
		if (job.kind === "dsn") return sendDsnJob(job, env, clock);
		if (job.kind === "send") return sendJob(job, env, clock);
		if (job.kind === "notify") return notifyOutage(job, env, clock);
		if (job.kind === "notice") return sendNotice(job, env, clock);
		if (job.kind === "invite") return sendInvite(job, env, clock);
		if (job.kind === "signin-code") return sendSigninCode(job, env, clock);
	}
	throw new Error(`no consumer for ${queue} message ${JSON.stringify(msg.body).slice(0, 200)}`);
}

/** A job that failed every retry: recorded in the customer's log, where admins see it. */
async function recordDeadLetter(queue: string, msg: Message, env: Env, clock: Clock) {
	const now = clock.now();
	const db = openDb(env.DB);
	const body = msg.body as { messageId?: unknown; messageIds?: unknown } | null;
	const first = Array.isArray(body?.messageIds) ? body.messageIds[0] : body?.messageId;
	const messageId = typeof first === "string" ? first : null;
	const owner = messageId
		? await db.query.messages.findFirst({ columns: { customerId: true, domainId: true }, where: eq(messages.id, messageId) })
		: undefined;
	await appendEvent(
		db,
		event(now, {
			customerId: owner?.customerId ?? null,
			domainId: owner?.domainId ?? null,
			messageId,
			kind: "queue.dead_letter",
			detail: { queue, attempts: msg.attempts, body: msg.body },
		}),
	);
}
