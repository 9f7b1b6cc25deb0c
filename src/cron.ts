// The 5-minute cron trigger: its jobs as data, each isolated from the others.
import { purgeAbandonedUploads } from "./bodies/retention";
import { sweepUnclaimed } from "./ingest/sweep";
import type { Clock } from "./lib/clock";
import { rebuildSearch } from "./queue/reindex";
import { handOverRetention } from "./queue/retention-handover";

export interface CronStep {
	name: string;
	/** Does the job; resolves to how many rows it handled. */
	run: () => Promise<number>;
}

/**
 * What each run does, in order: hand unclaimed mail over first, then abandoned uploads, then
 * the one-time data jobs still going. Delivered bodies are dropped by each domain's object.
 */
export function cronSteps(env: Env, clock: Clock): CronStep[] {
	return [
		{ name: "sweepUnclaimed", run: () => sweepUnclaimed(env, clock) },
		{ name: "purgeAbandonedUploads", run: () => purgeAbandonedUploads(env, clock) },
		{ name: "rebuildSearch", run: () => rebuildSearch(env, clock) },
		{ name: "handOverRetention", run: () => handOverRetention(env, clock) },
	];
}

/**
 * Runs every step even when one before it throws: a failure is logged with the step's name
 * and the others still run. Afterwards, if any failed, throws one AggregateError of them all,
 * so the invocation is reported failed (Cloudflare shows the run as an error). Resolves to
 * each step's count when all succeeded.
 */
export async function runCronSteps(steps: CronStep[]): Promise<Record<string, number>> {
	const counts: Record<string, number> = {};
	const failures: Error[] = [];
	const failed: string[] = [];
	for (const step of steps) {
		try {
			counts[step.name] = await step.run();
		} catch (err) {
			console.error(`cron step ${step.name} failed:`, err);
			failures.push(new Error(`cron step ${step.name} failed`, { cause: err }));
			failed.push(step.name);
		}
	}
	if (failures.length > 0) {
		throw new AggregateError(failures, `cron: ${failures.length} of ${steps.length} steps failed (${failed.join(", ")})`);
	}
	return counts;
}

export async function runCron(env: Env, clock: Clock): Promise<Record<string, number>> {
	return runCronSteps(cronSteps(env, clock));
}
