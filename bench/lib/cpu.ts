// CPU time used so far by a process group (wrangler dev and the workerd it runs), from /proc:
// on a shared machine, CPU per message is steadier than messages per second. Linux only;
// elsewhere NaN.
import { readdirSync, readFileSync } from "node:fs";

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function groupCpuMs(pgid: number | undefined): number {
	if (!pgid) return Number.NaN;
	let ticks = 0;
	let dirs: string[];
	try {
		dirs = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
	} catch {
		return Number.NaN;
	}
	for (const pid of dirs) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
			// Fields after the command name (which may hold spaces, so split after its ")").
			const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
			if (Number(f[2]) !== pgid) continue; // pgrp
			ticks += Number(f[11]) + Number(f[12]); // utime, stime
		} catch {
			// gone meanwhile
		}
	}
	return ticks * TICK_MS;
}
