import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { domains, messages } from "./schema";

/** The customer's domains: the tenant id comes first and scopes the query. */
export async function listCustomerDomains(db: Db, customerId: string) {
	return db.select().from(domains).where(eq(domains.customerId, customerId)).orderBy(domains.name);
}

export async function findCustomerDomain(db: Db, customerId: string, domainId: string) {
	return db.query.domains.findFirst({ where: and(eq(domains.customerId, customerId), eq(domains.id, domainId)) });
}

export async function findCustomerMessage(db: Db, customerId: string, messageId: string) {
	return db.query.messages.findFirst({
		columns: { id: true, domainId: true, status: true },
		where: and(eq(messages.customerId, customerId), eq(messages.id, messageId)),
	});
}
