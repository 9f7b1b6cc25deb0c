// The numbers behind a domain's report: the statements of ./report-sql in one D1 batch (one
// round trip), and their rows spread over every bucket of the period, zeros included.
import type { Db } from "./client";
import { REPORT_SQL, type ReportCounts, type ReportWindow, reportParams } from "./report-sql";

export interface ReportData {
	/** One entry per bucket of the period, zeros included. */
	buckets: ReportCounts[];
	transitions: { kind: string; at: number; detail: string }[];
}

export async function loadReport(db: Db, w: ReportWindow): Promise<ReportData> {
	const d1 = db.$client;
	const params = reportParams(w);
	const [received, delivered, bounced, transitions] = await d1.batch([
		d1.prepare(REPORT_SQL.received).bind(...params.received),
		d1.prepare(REPORT_SQL.delivered).bind(...params.delivered),
		d1.prepare(REPORT_SQL.bounced).bind(...params.bounced),
		d1.prepare(REPORT_SQL.transitions).bind(...params.transitions),
	]);
	const count = Math.ceil((w.end - w.start) / w.bucketMs);
	const buckets: ReportCounts[] = Array.from({ length: count }, () => ({ received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0 }));
	const at = (bucket: number) => buckets[bucket] as ReportCounts;
	for (const r of (received?.results ?? []) as { bucket: number; received: number; held: number }[]) {
		at(r.bucket).received = r.received;
		at(r.bucket).held = r.held;
	}
	for (const r of (delivered?.results ?? []) as { bucket: number; n: number }[]) at(r.bucket).deliveredAfterRecovery = r.n;
	for (const r of (bounced?.results ?? []) as { bucket: number; n: number }[]) at(r.bucket).bounced = r.n;
	return { buckets, transitions: (transitions?.results ?? []) as ReportData["transitions"] };
}
