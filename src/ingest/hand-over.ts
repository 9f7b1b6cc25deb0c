import type { AcceptedMessage } from "../domain/domain-relay";

/**
 * Tells the domain's Durable Object about a stored message. Idempotent at the object, so
 * a redelivery, a retry after a lost acknowledgement and the cron sweep may all call it.
 */
export async function handOver(env: Env, domainName: string, message: AcceptedMessage): Promise<void> {
	await handOverMany(env, [{ domainName, message }]);
}

/** Several stored messages (a group's copies): one call per domain's object, not one per message. */
export async function handOverMany(env: Env, items: { domainName: string; message: AcceptedMessage }[]): Promise<void> {
	const byDomain = new Map<string, AcceptedMessage[]>();
	for (const { domainName, message } of items) byDomain.set(domainName, [...(byDomain.get(domainName) ?? []), message]);
	for (const [domainName, batch] of byDomain) {
		const stub = env.DOMAIN.get(env.DOMAIN.idFromName(domainName));
		await stub.acceptMany(batch, domainName);
	}
}
