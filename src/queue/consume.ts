import { openDb } from "../db/client";
import { appendEvent } from "../db/events";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";

const DEAD_LETTER_QUEUES = new Set(["ei-delivery-dlq", "ei-outbound-dlq"]);

/**
 * Queue entry point. Dead letters are recorded in the event log (what admins see) and
 * acknowledged. A queue without a consumer here throws, so its messages are retried and
 * end in their dead-letter queue, recorded, rather than acknowledged unprocessed.
 */
export async function consumeQueue(batch: MessageBatch, env: Env, clock: Clock): Promise<void> {
	if (!DEAD_LETTER_QUEUES.has(batch.queue)) throw new Error(`no consumer for queue ${batch.queue}`);
	const db = openDb(env.DB);
	for (const msg of batch.messages) {
		const now = clock.now();
		const body = msg.body as { messageId?: unknown } | null;
		await appendEvent(db, {
			id: newId(now),
			messageId: typeof body?.messageId === "string" ? body.messageId : null,
			kind: "queue.dead_letter",
			detail: JSON.stringify({ queue: batch.queue, attempts: msg.attempts, body: msg.body }),
			createdAt: now,
		});
		msg.ack();
	}
}
