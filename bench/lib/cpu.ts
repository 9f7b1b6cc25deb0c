// CPU time used so far by a process group (wrangler dev and the workerd it runs), from /proc:
// on a shared machine, CPU per message is steadier than messages per second. And per thread:
// locally, workerd runs the worker and the D1, R2, Durable Objects and Queues it simulates on
// one thread, so that thread's share of the wall clock says whether a run is bound by it.
// Linux only; elsewhere NaN.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function groupCpuMs(pgid: number | undefined): number {
	const threads = threadCpuMs(pgid);
	return threads ? [...threads.values()].reduce((a, b) => a + b, 0) : Number.NaN;
}

/** CPU time so far of each thread in a process group, by "pid/tid"; null where /proc is not. */
export function threadCpuMs(pgid: number | undefined): Map<string, number> | null {
	if (!pgid) return null;
	let dirs: string[];
	try {
		dirs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
	} catch {
		return null;
	}
	const out = new Map<string, number>();
	for (const pid of dirs) {
		try {
			if (Number(statFields(`/proc/${pid}/stat`)[2]) !== pgid) continue; // pgrp
			for (const tid of readdirSync(`/proc/${pid}/task`)) {
				const f = statFields(`/proc/${pid}/task/${tid}/stat`);
				out.set(`${pid}/${tid}`, (Number(f[11]) + Number(f[12])) * TICK_MS); // utime, stime
			}
		} catch {
			// gone meanwhile
		}
	}
	return out;
}

/** The most CPU any one thread used between two threadCpuMs() readings: workerd runs on one. */
export function busiestThreadMs(before: Map<string, number> | null, after: Map<string, number> | null): number {
	if (!before || !after) return Number.NaN;
	return Math.max(0, ...[...after].map(([k, v]) => v - (before.get(k) ?? 0)));
}

function statFields(path: string): string[] {
	const stat = readFileSync(path, "utf8");
	// Fields after the command name (which may hold spaces, so split after its ")").
	return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}
