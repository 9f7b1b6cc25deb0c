import { openDb } from "../db/client";
import { listUnclaimed } from "../db/messages";
import type { Clock } from "../lib/clock";
import { handOver } from "./hand-over";

/** A message stored this long ago without reaching its Durable Object is handed over again. */
const GRACE_MS = 60_000;
const BATCH = 500;

/**
 * The cron safety net for a crash between "stored" and "handed over": the email handler
 * already threw in that case (the sender will retry), but if the sender never does, the
 * message must still reach its domain's spool.
 */
export async function sweepUnclaimed(env: Env, clock: Clock): Promise<number> {
	const rows = await listUnclaimed(openDb(env.DB), clock.now() - GRACE_MS, BATCH);
	for (const row of rows) await handOver(env, row.domainName, { id: row.id, receivedAt: row.receivedAt, recipient: row.envelopeTo });
	return rows.length;
}
