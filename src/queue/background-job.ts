// A one-time data job (a migration of data, not of schema) walked in pages across cron runs:
// where it stands is its row in background_jobs, saved after every page, so a run cut short
// goes on from there and a finished job costs one read a run. The page's work must be
// idempotent: a crash between the work and the save repeats that page.
import { eq, sql } from "drizzle-orm";
import { openDb } from "../db/client";
import { backgroundJobs } from "../db/schema";
import type { Clock } from "../lib/clock";

export interface PageDone<P> {
	/** Rows the page handled; fewer than a full page ends the job. */
	handled: number;
	full: boolean;
	/** Where the next page starts (the last row's keyset position). */
	at: P | null;
	/** What the page spent of the run's budget (pages, or calls to objects). */
	cost: number;
}

/** Runs `page` from the saved position until the job ends or `budget` is spent; returns the rows handled. */
export async function runJob<P>(
	env: Env,
	clock: Clock,
	name: string,
	budget: number,
	page: (at: P | null) => Promise<PageDone<P>>,
): Promise<number> {
	const db = openDb(env.DB);
	const job = await db.query.backgroundJobs.findFirst({ where: eq(backgroundJobs.name, name) });
	if (!job || job.finishedAt !== null) return 0;
	let at = job.cursor ? (JSON.parse(job.cursor) as P) : null;
	let handled = 0;
	for (let spent = 0; spent < budget; ) {
		const done = await page(at);
		at = done.at ?? at;
		handled += done.handled;
		spent += done.cost;
		const now = clock.now();
		await db
			.update(backgroundJobs)
			.set({
				cursor: at === null ? "" : JSON.stringify(at),
				done: sql`${backgroundJobs.done} + ${done.handled}`,
				finishedAt: done.full ? null : now,
				updatedAt: now,
			})
			.where(eq(backgroundJobs.name, name));
		if (!done.full) break;
	}
	return handled;
}
