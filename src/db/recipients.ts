import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import type { DomainRow } from "./domains";
import { aliases, domains, groupMembers, groups, users } from "./schema";

/** An enabled member of a group, with the company's domain its address is on. */
export interface GroupMember {
	userId: string;
	/** The member's canonical address: the envelope recipient of its copy. */
	email: string;
	domainId: string;
	domainName: string;
}

export interface Recipient {
	domain: DomainRow;
	/** The mailbox owner, or null when nobody here has that address. */
	userId: string | null;
	/**
	 * Set when the address is one of the company's groups: its enabled members whose address is on
	 * one of the company's served, verified domains (possibly none).
	 */
	group: { id: string; address: string; members: GroupMember[] } | null;
}

/**
 * Resolves an envelope recipient in one round trip: its domain, and the user who owns the
 * address directly or through an alias, or the group it names with the group's members.
 * `candidates` are the exact address first, then the address without its +tag. Returns null
 * when we do not serve the domain.
 */
export async function resolveRecipient(db: Db, domainName: string, candidates: string[]): Promise<Recipient | null> {
	// The member's domain is the part of its address after the "@"; joining on it here saves a
	// second round trip per member domain.
	const memberDomain = sql`substr(${users.email}, instr(${users.email}, '@') + 1)`;
	const [domainRows, userRows, aliasRows, groupRows] = await db.batch([
		db.select().from(domains).where(eq(domains.name, domainName)).limit(1),
		db.select({ id: users.id, customerId: users.customerId, email: users.email }).from(users).where(inArray(users.email, candidates)),
		db
			.select({ userId: aliases.userId, customerId: aliases.customerId, address: aliases.address })
			.from(aliases)
			.where(inArray(aliases.address, candidates)),
		db
			// Aliased: a D1 batch returns rows keyed by column name, so three "id" columns would collapse into one.
			.select({
				id: sql<string>`${groups.id}`.as("group_id"),
				customerId: sql<string>`${groups.customerId}`.as("group_customer_id"),
				address: sql<string>`${groups.address}`.as("group_address"),
				userId: sql<string | null>`${users.id}`.as("member_id"),
				email: sql<string | null>`${users.email}`.as("member_email"),
				domainId: sql<string | null>`${domains.id}`.as("member_domain_id"),
				domainName: sql<string | null>`${domains.name}`.as("member_domain_name"),
			})
			.from(groups)
			.leftJoin(groupMembers, eq(groupMembers.groupId, groups.id))
			// Tenant check and disabled accounts in the join: such members simply do not appear.
			.leftJoin(users, and(eq(users.id, groupMembers.userId), eq(users.customerId, groups.customerId), isNull(users.disabledAt)))
			// A member on a domain the company has not proven (DNS) is skipped: that domain's mail is not theirs yet.
			.leftJoin(domains, and(eq(domains.customerId, groups.customerId), eq(domains.name, memberDomain), isNotNull(domains.verifiedAt)))
			.where(inArray(groups.address, candidates)),
	]);
	const domain = domainRows[0];
	if (!domain) return null;
	// Tenant check: an address only counts when it belongs to the domain's own customer.
	for (const address of candidates) {
		const user = userRows.find((u) => u.email === address && u.customerId === domain.customerId);
		if (user) return { domain, userId: user.id, group: null };
		const alias = aliasRows.find((a) => a.address === address && a.customerId === domain.customerId);
		if (alias) return { domain, userId: alias.userId, group: null };
		const rows = groupRows.filter((g) => g.address === address && g.customerId === domain.customerId);
		const first = rows[0];
		if (first) {
			const members: GroupMember[] = [];
			for (const r of rows) {
				if (r.userId && r.email && r.domainId && r.domainName)
					members.push({ userId: r.userId, email: r.email, domainId: r.domainId, domainName: r.domainName });
			}
			return { domain, userId: null, group: { id: first.id, address: first.address, members } };
		}
	}
	return { domain, userId: null, group: null };
}
