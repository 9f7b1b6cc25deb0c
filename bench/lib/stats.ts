export interface Run {
	name: string;
	count: number;
	totalMs: number;
	latenciesMs: number[];
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return Number.NaN;
	const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[i] as number;
}

export function summarize(run: Run) {
	const sorted = [...run.latenciesMs].sort((a, b) => a - b);
	return {
		name: run.name,
		messages: run.count,
		perSecond: run.count / (run.totalMs / 1000),
		p50: percentile(sorted, 50),
		p99: percentile(sorted, 99),
	};
}

export function printTable(rows: ReturnType<typeof summarize>[], floor: ReturnType<typeof summarize>) {
	const fmt = (n: number, d = 1) => n.toFixed(d).padStart(10);
	console.log(
		`${"path".padEnd(44)}${"msgs".padStart(6)}${"msg/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}${"× floor".padStart(10)}`,
	);
	for (const r of rows) {
		const ratio = r.p50 / floor.p50;
		console.log(`${r.name.padEnd(44)}${String(r.messages).padStart(6)}${fmt(r.perSecond)}${fmt(r.p50, 2)}${fmt(r.p99, 2)}${fmt(ratio)}`);
	}
}

export interface Timing {
	p50: number;
	p95: number;
}

/** `once` run `warmup` times unmeasured, then `n` times timed one after the other. */
export async function time(n: number, warmup: number, once: () => Promise<unknown> | unknown): Promise<Timing> {
	for (let i = 0; i < warmup; i++) await once();
	const ms: number[] = [];
	for (let i = 0; i < n; i++) {
		const t = performance.now();
		await once();
		ms.push(performance.now() - t);
	}
	ms.sort((a, b) => a - b);
	return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}
