import type { AcceptedMessage } from "../domain/domain-relay";
import { domainRelay } from "../domain/domain-relay";

/**
 * Tells the domain's Durable Object about a stored message. Idempotent at the object, so
 * a redelivery, a retry after a lost acknowledgement and the cron sweep may all call it.
 */
export async function handOver(env: Env, domainName: string, message: AcceptedMessage): Promise<void> {
	await handOverMany(env, [{ domainName, message }]);
}

/** Several stored messages (a group's copies): one call per domain's object, not one per message. */
export async function handOverMany(env: Env, items: { domainName: string; message: AcceptedMessage }[]): Promise<void> {
	for (const [domainName, mine] of Map.groupBy(items, (i) => i.domainName)) {
		const stub = domainRelay(env, domainName);
		await stub.acceptMany(
			mine.map((i) => i.message),
			domainName,
		);
	}
}
