// Bodies delivered before each domain's object kept their retention (migration 0016): walks
// every delivered message that still has a body once, in keyset pages over
// messages_retention_idx, and hands each domain's to its object (DomainRelay.retain, which
// ignores a body it already keeps), whose alarm drops them when due. After it, no cron step
// scans delivered mail. Position and progress: src/queue/background-job.ts.

import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { domains, messages } from "../db/schema";
import { domainRelay } from "../domain/domain-relay";
import type { Clock } from "../lib/clock";
import { runJob } from "./background-job";

export const RETENTION_HANDOVER = "retention-handover";
const PAGE = 500;
/** Object calls a run may make (one per domain per page), inside the cron's 1,000 subrequests. */
const MAX_CALLS = 300;

type Position = [deliveredAt: number, id: string];

/** Hands the next pages over; returns how many bodies it handed over. */
export async function handOverRetention(env: Env, clock: Clock, { maxCalls = MAX_CALLS }: { maxCalls?: number } = {}): Promise<number> {
	const db = openDb(env.DB);
	return runJob<Position>(env, clock, RETENTION_HANDOVER, maxCalls, async (at) => {
		const rows = await db
			.select({ id: messages.id, deliveredAt: messages.deliveredAt, heldAt: messages.heldAt, domain: domains.name })
			.from(messages)
			.innerJoin(domains, eq(domains.id, messages.domainId))
			.where(
				and(
					isNotNull(messages.r2Key),
					isNotNull(messages.deliveredAt),
					...(at ? [sql`(${messages.deliveredAt}, ${messages.id}) > (${at[0]}, ${at[1]})`] : []),
				),
			)
			.orderBy(asc(messages.deliveredAt), asc(messages.id))
			.limit(PAGE);
		const byDomain = Map.groupBy(rows, (r) => r.domain);
		for (const [name, mine] of byDomain)
			await domainRelay(env, name).retain(
				mine.map((r) => ({ messageId: r.id, deliveredAt: r.deliveredAt as number, held: r.heldAt !== null })),
				name,
			);
		const last = rows.at(-1);
		return {
			handled: rows.length,
			full: rows.length === PAGE,
			at: last ? [last.deliveredAt as number, last.id] : null,
			cost: byDomain.size,
		};
	});
}
