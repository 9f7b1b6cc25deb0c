import { type AnyColumn, sql } from "drizzle-orm";

/** `col IN (ids)` with the ids as one JSON parameter: D1 allows only 100 bound parameters per query. */
export const inJson = (column: AnyColumn, ids: string[]) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
