import { openDb } from "../db/client";
import { listUnclaimed, type UnclaimedCursor } from "../db/messages";
import type { Clock } from "../lib/clock";
import { handOverMany } from "./hand-over";

/** A message stored this long ago without reaching its Durable Object is handed over again. */
const GRACE_MS = 60_000;
/** Rows per page, and pages per run: 10,000 messages at most. */
const BATCH = 500;
export const MAX_PAGES = 20;
/**
 * Durable Object calls one run may make. Each is a subrequest, and a cron invocation has
 * 1,000 on Workers Paid (developers.cloudflare.com/workers/platform/limits/#subrequests),
 * shared with the D1 reads of these pages (at most 20) and the two purges (at most 120, see
 * src/bodies/retention.ts). A page makes one call per domain in it, so at most BATCH: a page
 * starts only while a whole page's worth is left, keeping the run at 700 + 20 + 120 = 840.
 */
const CALL_BUDGET = 700;

export interface SweepOptions {
	/** Pages this run may take; MAX_PAGES unless a test wants a smaller budget. */
	maxPages?: number;
}

/**
 * The cron safety net for a crash between "stored" and "handed over": the email handler
 * already threw in that case (the sender will retry), but if the sender never does, the
 * message must still reach its domain's spool. Pages through the backlog, one call per
 * domain per page; a domain whose object fails does not stop the others (its mail is tried
 * again next run), and the run then throws every such failure. Returns how many it handed over.
 */
export async function sweepUnclaimed(env: Env, clock: Clock, { maxPages = MAX_PAGES }: SweepOptions = {}): Promise<number> {
	const db = openDb(env.DB);
	const before = clock.now() - GRACE_MS;
	const failures: unknown[] = [];
	let after: UnclaimedCursor | undefined;
	let calls = 0;
	let handed = 0;
	for (let page = 0; page < maxPages && calls + BATCH <= CALL_BUDGET; page++) {
		const rows = await listUnclaimed(db, before, BATCH, after);
		const last = rows.at(-1);
		if (!last) break;
		after = { receivedAt: last.receivedAt, id: last.id };
		const byDomain = Map.groupBy(rows, (r) => r.domainName);
		for (const [domainName, batch] of byDomain) {
			calls++;
			try {
				await handOverMany(
					env,
					batch.map((r) => ({ domainName, message: { id: r.id, receivedAt: r.receivedAt, recipient: r.envelopeTo } })),
				);
				handed += batch.length;
			} catch (err) {
				failures.push(new Error(`hand-over to ${domainName} failed (${batch.length} messages)`, { cause: err }));
			}
		}
		if (rows.length < BATCH) break;
	}
	if (failures.length > 0)
		throw new AggregateError(failures, `sweepUnclaimed: ${failures.length} domain(s) failed, ${handed} messages handed over`);
	return handed;
}
