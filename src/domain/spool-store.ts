// The domain object's own SQLite (ctx.storage.sql): the spool index, its batches and a small
// key-value table (the domain's name, its health, the next probe). Synchronous, like the API
// under it, so a handler's reads and writes cannot interleave with another's.
import { SPOOL_SCHEMA, type SpoolRow } from "./spool-sql";

export class SpoolStore {
	constructor(private readonly storage: SqlStorage) {
		storage.exec(SPOOL_SCHEMA);
	}

	sql<T extends Record<string, SqlStorageValue>>(query: string, ...params: SqlStorageValue[]): T[] {
		return this.storage.exec<T>(query, ...params).toArray();
	}

	remember(key: string, value: string): void {
		this.sql("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
	}

	recall(key: string): string | null {
		return this.sql<{ value: string }>("SELECT value FROM meta WHERE key = ?", key)[0]?.value ?? null;
	}

	recallNumber(key: string): number | null {
		const v = this.recall(key);
		return v ? Number(v) : null;
	}

	count(state: SpoolRow["state"]): number {
		return this.sql<{ n: number }>("SELECT count(*) AS n FROM spool WHERE state = ?", state)[0]?.n ?? 0;
	}

	batchExists(id: string): boolean {
		return this.sql("SELECT 1 FROM batches WHERE id = ?", id).length > 0;
	}
}
