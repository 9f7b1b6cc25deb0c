// The D1 side of a domain's report: the health and hold transitions, and, once per domain
// object that began counting late, the counts from before (SEED_SQL in one batch).
import type { Db } from "./client";
import { type HourCounts, mergeSeed, SEED_SQL, seedParams, TRANSITIONS_SQL } from "./report-sql";

export interface Transition {
	kind: string;
	at: number;
	detail: string;
}

export async function loadTransitions(db: Db, w: { customerId: string; domainId: string; end: number }): Promise<Transition[]> {
	const { results } = await db.$client.prepare(TRANSITIONS_SQL).bind(w.customerId, w.domainId, w.end).all<Transition>();
	return results;
}

/** The domain's counts per hour for everything that happened before `countingFrom`. */
export async function countsBefore(db: Db, domain: { id: string; customerId: string }, countingFrom: number): Promise<HourCounts[]> {
	const d1 = db.$client;
	const params = seedParams(domain, countingFrom);
	const [received, delivered, bounced] = await d1.batch([
		d1.prepare(SEED_SQL.received).bind(...params),
		d1.prepare(SEED_SQL.delivered).bind(...params),
		d1.prepare(SEED_SQL.bounced).bind(...params),
	]);
	return mergeSeed(
		(received?.results ?? []) as { hour: number; received: number; held: number }[],
		(delivered?.results ?? []) as { hour: number; n: number }[],
		(bounced?.results ?? []) as { hour: number; n: number }[],
	);
}
