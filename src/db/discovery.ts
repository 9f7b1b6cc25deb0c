// Recipient discovery's storage: which addresses to ask the customer's server about, and what
// it answered (discovered_recipients, one row per domain and address, the latest answer). Every
// query takes the customer id first.
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import type { DiscoveryOutcome } from "../relay/types";
import type { Db } from "./client";
import { aliases, discoveredRecipients, groups, messages, users } from "./schema";

/** D1 allows 100 bound parameters per statement. */
const IN_CHUNK = 90;

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/**
 * Envelope recipients of the domain's mail since `since` that no mailbox owned (a catch-all
 * domain keeps such mail): the addresses its server may know and we do not. Distinct, at most `limit`.
 */
export async function recentUnownedRecipients(db: Db, customerId: string, domainId: string, since: number, limit: number) {
	const rows = await db
		.selectDistinct({ address: messages.envelopeTo })
		.from(messages)
		.where(
			and(
				eq(messages.customerId, customerId),
				eq(messages.domainId, domainId),
				eq(messages.direction, "in"),
				isNull(messages.userId),
				gt(messages.receivedAt, since),
			),
		)
		.limit(limit);
	return rows.map((r) => r.address);
}

export type Owner = "user" | "alias" | "group";

/** Which of `addresses` already answer to a user, an alias or a group of the company, in one round trip. */
export async function ownersOf(db: Db, customerId: string, addresses: string[]): Promise<Map<string, Owner>> {
	const owners = new Map<string, Owner>();
	const parts = chunks(addresses, IN_CHUNK);
	if (parts.length === 0) return owners;
	const lookups = parts.flatMap((part) => [
		db
			.select({ address: users.email, kind: sql<Owner>`'user'` })
			.from(users)
			.where(and(eq(users.customerId, customerId), inArray(users.email, part))),
		db
			.select({ address: aliases.address, kind: sql<Owner>`'alias'` })
			.from(aliases)
			.where(and(eq(aliases.customerId, customerId), inArray(aliases.address, part))),
		db
			.select({ address: groups.address, kind: sql<Owner>`'group'` })
			.from(groups)
			.where(and(eq(groups.customerId, customerId), inArray(groups.address, part))),
	]);
	const [first, ...rest] = lookups;
	if (!first) return owners;
	for (const row of (await db.batch([first, ...rest])).flat()) owners.set(row.address, row.kind);
	return owners;
}

export interface DiscoveryAnswer {
	address: string;
	outcome: DiscoveryOutcome;
	code: number | null;
	text: string | null;
}

/** Records the latest answer per address (replacing an earlier one), in one batch. */
export async function recordAnswers(
	db: Db,
	customerId: string,
	domainId: string,
	answers: DiscoveryAnswer[],
	now: number,
	newId: () => string,
) {
	// 8 parameters a row: 11 rows stay under D1's 100.
	const statements = chunks(answers, 11).map((part) =>
		db
			.insert(discoveredRecipients)
			.values(part.map((a) => ({ id: newId(), customerId, domainId, ...a, checkedAt: now })))
			.onConflictDoUpdate({
				target: [discoveredRecipients.domainId, discoveredRecipients.address],
				set: {
					outcome: sql`excluded.outcome`,
					code: sql`excluded.code`,
					text: sql`excluded.text`,
					checkedAt: sql`excluded.checked_at`,
				},
			}),
	);
	const [first, ...rest] = statements;
	if (first) await db.batch([first, ...rest]);
}

/** The domain's answers by address, keyset-paged after `cursor`, each with what already owns the address. */
export async function listAnswers(db: Db, customerId: string, domainId: string, cursor: string | null, limit: number) {
	const d = discoveredRecipients;
	return db
		.select({
			address: d.address,
			outcome: d.outcome,
			code: d.code,
			text: d.text,
			checkedAt: d.checkedAt,
			userId: users.id,
			aliasId: aliases.id,
			groupId: groups.id,
		})
		.from(d)
		.leftJoin(users, and(eq(users.email, d.address), eq(users.customerId, d.customerId)))
		.leftJoin(aliases, and(eq(aliases.address, d.address), eq(aliases.customerId, d.customerId)))
		.leftJoin(groups, and(eq(groups.address, d.address), eq(groups.customerId, d.customerId)))
		.where(and(eq(d.customerId, customerId), eq(d.domainId, domainId), ...(cursor ? [gt(d.address, cursor)] : [])))
		.orderBy(d.address)
		.limit(limit);
}
