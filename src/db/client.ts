import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = DrizzleD1Database<typeof schema> & { $client: D1Database };

export function openDb(d1: D1Database): Db {
	return drizzle(d1, { schema });
}

export interface RawStatement {
	sql: string;
	params: unknown[];
}

/**
 * One atomic D1 batch of drizzle queries and raw statements. Drizzle's own batch() takes
 * only its query builders; the search index (FTS5) needs raw SQL in the same transaction.
 */
export async function batchAtomically(db: Db, statements: ({ toSQL(): RawStatement } | RawStatement)[]): Promise<void> {
	const d1 = db.$client;
	await d1.batch(
		statements.map((s) => {
			const { sql, params } = "toSQL" in s ? s.toSQL() : s;
			return d1.prepare(sql).bind(...params);
		}),
	);
}
