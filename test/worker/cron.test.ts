// The cron trigger at volume: each purge drains a backlog in one run (pages of BATCH up to
// a per-run budget), the search index takes any number of ids, and one failing step does
// not stop the others. Rows are seeded with set-based SQL, not one ingest each.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client";
import { unindex } from "../../src/db/search";
import { newId } from "../../src/lib/ids";

const count = (sql: string, ...params: unknown[]) =>
	env.DB.prepare(sql)
		.bind(...params)
		.first<number>("n");

describe("unindex", () => {
	it("takes 150 ids in one call (past D1's 100 bound parameters)", async () => {
		const ids = Array.from({ length: 150 }, () => newId());
		await env.DB.prepare(
			"INSERT INTO messages_fts (owner, subject, addresses, body, message_id) SELECT 'owner', '', '', 'w', value FROM json_each(?)",
		)
			.bind(JSON.stringify(ids))
			.run();
		await unindex(openDb(env.DB), ids);
		expect(
			await count("SELECT count(*) AS n FROM messages_fts WHERE message_id IN (SELECT value FROM json_each(?))", JSON.stringify(ids)),
		).toBe(0);
	});
});
