import { eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import type { DomainRow } from "./domains";
import { aliases, domains, users } from "./schema";

export interface Recipient {
	domain: DomainRow;
	/** The mailbox owner, or null when nobody here has that address. */
	userId: string | null;
}

/**
 * Resolves an envelope recipient in one round trip: its domain, and the user who owns the
 * address directly or through an alias. `candidates` are the exact address first, then the
 * address without its +tag. Returns null when we do not serve the domain.
 */
export async function resolveRecipient(db: Db, domainName: string, candidates: string[]): Promise<Recipient | null> {
	const [domainRows, userRows, aliasRows] = await db.batch([
		db.select().from(domains).where(eq(domains.name, domainName)).limit(1),
		db.select({ id: users.id, customerId: users.customerId, email: users.email }).from(users).where(inArray(users.email, candidates)),
		db
			.select({ userId: aliases.userId, customerId: aliases.customerId, address: aliases.address })
			.from(aliases)
			.where(inArray(aliases.address, candidates)),
	]);
	const domain = domainRows[0];
	if (!domain) return null;
	// Tenant check: an address only counts when it belongs to the domain's own customer.
	for (const address of candidates) {
		const user = userRows.find((u) => u.email === address && u.customerId === domain.customerId);
		if (user) return { domain, userId: user.id };
		const alias = aliasRows.find((a) => a.address === address && a.customerId === domain.customerId);
		if (alias) return { domain, userId: alias.userId };
	}
	return { domain, userId: null };
}
