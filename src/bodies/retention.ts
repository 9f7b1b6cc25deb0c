import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { inJson } from "../db/in-json";
import { domains, messages, uploads } from "../db/schema";
import { unindex } from "../db/search";
import type { Clock } from "../lib/clock";

const BATCH = 500;

/**
 * Drops the bodies of delivered mail past its domain's retention window: the metadata row
 * stays (the delivery log), the R2 object goes. Held mail keeps `retain_held_seconds` (it was
 * read in the Emergency Inbox and stays readable there, marked delivered), other mail
 * `retain_delivered_seconds`. Runs from the cron trigger; returns how many it purged.
 */
export async function purgeExpiredBodies(env: Env, clock: Clock): Promise<number> {
	const db = openDb(env.DB);
	const now = clock.now();
	const window = sql`(CASE WHEN ${messages.heldAt} IS NULL THEN ${domains.retainDeliveredSeconds} ELSE ${domains.retainHeldSeconds} END) * 1000`;
	const rows = await db
		.select({ id: messages.id, r2Key: messages.r2Key })
		.from(messages)
		.innerJoin(domains, eq(domains.id, messages.domainId))
		.where(and(isNotNull(messages.r2Key), isNotNull(messages.deliveredAt), lt(sql`${messages.deliveredAt} + ${window}`, now)))
		.orderBy(messages.deliveredAt)
		.limit(BATCH);
	for (const row of rows) {
		// Row first: a reader then gets "expired" (410), never a row pointing at nothing.
		await db.update(messages).set({ r2Key: null, updatedAt: now }).where(eq(messages.id, row.id));
		if (row.r2Key) await env.MAIL.delete(row.r2Key);
	}
	// The body's words go with the body.
	await unindex(
		db,
		rows.map((r) => r.id),
	);
	return rows.length;
}

/** Files uploaded for a message that was never sent are kept a day, then removed. */
const UPLOAD_TTL_MS = 86_400_000;

export async function purgeAbandonedUploads(env: Env, clock: Clock): Promise<number> {
	const db = openDb(env.DB);
	const rows = await db
		.select({ id: uploads.id, r2Key: uploads.r2Key })
		.from(uploads)
		.where(lt(uploads.createdAt, clock.now() - UPLOAD_TTL_MS))
		.limit(BATCH);
	if (rows.length === 0) return 0;
	await env.MAIL.delete(rows.map((r) => r.r2Key));
	await db.delete(uploads).where(
		inJson(
			uploads.id,
			rows.map((r) => r.id),
		),
	);
	return rows.length;
}
