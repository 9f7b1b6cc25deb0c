import { eq, inArray, sql } from "drizzle-orm";
import type { Db } from "./client";
import { rateLimits } from "./schema";

/** Current counts for `keys` within the window that started after `windowStart`. */
export async function readCounts(db: Db, keys: string[], windowStart: number): Promise<Map<string, number>> {
	const rows = await db.select().from(rateLimits).where(inArray(rateLimits.key, keys));
	return new Map(rows.filter((r) => r.windowStart > windowStart).map((r) => [r.key, r.count]));
}

/** Adds one to each key's fixed window, starting a fresh window where the old one ended. */
export async function bump(db: Db, keys: readonly [string, ...string[]], now: number, windowStart: number) {
	const increment = (key: string) =>
		db
			.insert(rateLimits)
			.values({ key, windowStart: now, count: 1 })
			.onConflictDoUpdate({
				target: rateLimits.key,
				set: {
					count: sql`CASE WHEN ${rateLimits.windowStart} > ${windowStart} THEN ${rateLimits.count} + 1 ELSE 1 END`,
					windowStart: sql`CASE WHEN ${rateLimits.windowStart} > ${windowStart} THEN ${rateLimits.windowStart} ELSE ${now} END`,
				},
			});
	const [first, ...rest] = keys;
	await db.batch([increment(first), ...rest.map(increment)]);
}

export async function clear(db: Db, key: string) {
	await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
