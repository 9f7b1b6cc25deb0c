import type { AcceptedMessage } from "../domain/domain-relay";

/**
 * Tells the domain's Durable Object about a stored message. Idempotent at the object, so
 * a redelivery, a retry after a lost acknowledgement and the cron sweep may all call it.
 */
export async function handOver(env: Env, domainName: string, message: AcceptedMessage): Promise<void> {
	const stub = env.DOMAIN.get(env.DOMAIN.idFromName(domainName));
	await stub.accept(message, domainName);
}
