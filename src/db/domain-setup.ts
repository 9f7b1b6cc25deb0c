// Queries behind adding, verifying and removing a company's domain. The tenant id comes
// first and scopes every statement, as everywhere in src/db.
import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "./client";
import type { DomainRow } from "./domains";
import { aliases, domains, events, groups, messages, users } from "./schema";

/** Mail the domain still owes someone: held, waiting, in a delivery batch, or deferred. */
export const UNDELIVERED = ["received", "spooled", "queued", "deferred"] as const;

/** Gives a domain made before verification existed its token; a token once set never changes. */
export async function ensureVerificationToken(db: Db, customerId: string, domain: DomainRow, token: string): Promise<DomainRow> {
	if (domain.verificationToken) return domain;
	await db
		.update(domains)
		.set({ verificationToken: token })
		.where(and(eq(domains.customerId, customerId), eq(domains.id, domain.id), isNull(domains.verificationToken)));
	return (await db.query.domains.findFirst({ where: and(eq(domains.customerId, customerId), eq(domains.id, domain.id)) })) ?? domain;
}

/** Sets verified_at once; a second verification (or a race with one) changes nothing. */
export async function markVerified(db: Db, customerId: string, domainId: string, now: number): Promise<boolean> {
	const rows = await db
		.update(domains)
		.set({ verifiedAt: now })
		.where(and(eq(domains.customerId, customerId), eq(domains.id, domainId), isNull(domains.verifiedAt)))
		.returning({ id: domains.id });
	return rows.length > 0;
}

/** How many of the domain's messages are undelivered, and how many are on record in all. */
export async function domainMailCounts(db: Db, customerId: string, domainId: string): Promise<{ undelivered: number; total: number }> {
	const rows = await db
		.select({ status: messages.status, n: count() })
		.from(messages)
		.where(and(eq(messages.customerId, customerId), eq(messages.domainId, domainId)))
		.groupBy(messages.status);
	const undelivered = rows.filter((r) => (UNDELIVERED as readonly string[]).includes(r.status)).reduce((s, r) => s + r.n, 0);
	return { undelivered, total: rows.reduce((s, r) => s + r.n, 0) };
}

/** The company's users, aliases and groups with an address at the domain (a few, for the message). */
export async function addressesAt(db: Db, customerId: string, domainName: string): Promise<string[]> {
	const pattern = `%@${domainName.replace(/[%_\\]/g, "\\$&")}`;
	const at = (column: typeof users.email | typeof aliases.address | typeof groups.address) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
	const [u, a, g] = await db.batch([
		db
			.select({ address: users.email })
			.from(users)
			.where(and(eq(users.customerId, customerId), at(users.email)))
			.limit(5),
		db
			.select({ address: aliases.address })
			.from(aliases)
			.where(and(eq(aliases.customerId, customerId), at(aliases.address)))
			.limit(5),
		db
			.select({ address: groups.address })
			.from(groups)
			.where(and(eq(groups.customerId, customerId), at(groups.address)))
			.limit(5),
	]);
	return [...u, ...a, ...g].map((r) => r.address);
}

/**
 * Deletes the domain unless a message refers to it: checked in the same statement, so mail that
 * arrives between the caller's checks and this delete keeps its domain (and D1's foreign keys
 * are never the ones to refuse). True when it was deleted.
 */
export async function deleteDomainWithoutMail(db: Db, customerId: string, domainId: string): Promise<boolean> {
	const rows = await db
		.delete(domains)
		.where(
			and(
				eq(domains.customerId, customerId),
				eq(domains.id, domainId),
				sql`NOT EXISTS (SELECT 1 FROM ${messages} WHERE ${messages.domainId} = ${domains.id})`,
			),
		)
		.returning({ id: domains.id });
	return rows.length > 0;
}

/** The newest of the domain's events of these kinds, or undefined. */
export async function lastDomainEvent(db: Db, customerId: string, domainId: string, kinds: string[]) {
	return db.query.events.findFirst({
		where: and(eq(events.customerId, customerId), eq(events.domainId, domainId), inArray(events.kind, kinds)),
		orderBy: desc(events.id),
	});
}
