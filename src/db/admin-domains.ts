import { and, count, eq } from "drizzle-orm";
import type { Db } from "./client";
import { domains, messages } from "./schema";

/** The customer's domains: the tenant id comes first and scopes the query. */
export async function listCustomerDomains(db: Db, customerId: string) {
	return db.select().from(domains).where(eq(domains.customerId, customerId)).orderBy(domains.name);
}

export async function findCustomerDomain(db: Db, customerId: string, domainId: string) {
	return db.query.domains.findFirst({ where: and(eq(domains.customerId, customerId), eq(domains.id, domainId)) });
}

/** Message counts by status for each of the customer's domains, in one grouped query. */
export async function statusCounts(db: Db, customerId: string) {
	return db
		.select({ domainId: messages.domainId, status: messages.status, n: count() })
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(eq(domains.customerId, customerId))
		.groupBy(messages.domainId, messages.status);
}

export async function findCustomerMessage(db: Db, customerId: string, messageId: string) {
	return db.query.messages.findFirst({
		columns: { id: true, domainId: true, status: true },
		where: and(eq(messages.customerId, customerId), eq(messages.id, messageId)),
	});
}
