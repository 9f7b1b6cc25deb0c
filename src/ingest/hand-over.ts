/**
 * Tells the domain's Durable Object about a stored message. Idempotent at the object, so
 * a redelivery, a retry after a lost acknowledgement and the cron sweep may all call it.
 */
export async function handOver(env: Env, domainName: string, messageId: string, receivedAt: number): Promise<void> {
	const stub = env.DOMAIN.get(env.DOMAIN.idFromName(domainName));
	await stub.accept(messageId, receivedAt);
}
