// The reports API's wire format (GET /api/admin/reports), shared by the worker and the SPA.
// Times are UTC: buckets are UTC hours or UTC days, whatever the viewer's time zone.

import type { ReportCounts } from "../db/report-sql";

export type { ReportCounts };

export type ReportBucket = "hour" | "day";

export interface ReportPoint extends ReportCounts {
	/** The bucket's first instant (ISO, UTC). */
	start: string;
}

/** A stretch of a timeline, clipped to the report's period. */
export interface ReportInterval {
	start: string;
	/** null: still going on now. */
	end: string | null;
	/** Within the period (and up to now). */
	seconds: number;
	/** Still open now (the period may end before now: then `end` is the period's end). */
	ongoing: boolean;
	/** Began before the period: `start` is the period's start. */
	startedBefore: boolean;
	/** Lasted past the period's end: `end` is the period's end. */
	endedAfter: boolean;
}

/** The customer's server was down (from the domain.down event to the domain.up event). */
export interface ReportOutage extends ReportInterval {
	/** The error that marked it down, as the relay recorded it. */
	cause: string | null;
}

export interface Report {
	domain: { id: string; name: string; displayName: string };
	/** The period as asked, inclusive UTC dates (YYYY-MM-DD). */
	from: string;
	to: string;
	timeZone: "UTC";
	/** The period as instants: from 00:00 UTC on `from` to 00:00 UTC the day after `to` (exclusive). */
	periodStart: string;
	periodEnd: string;
	bucket: ReportBucket;
	/** One point per bucket that has begun (buckets after now are left out). */
	series: ReportPoint[];
	totals: ReportCounts;
	outages: ReportOutage[];
	/** Maintenance holds (domain.hold to domain.release): a separate timeline, not downtime. */
	holds: ReportInterval[];
	/** Seconds of outage within the period, up to now. */
	downtimeSeconds: number;
	/** Seconds of the period that have passed (the period up to now). */
	observedSeconds: number;
	/** 1 − downtime / observed, from 0 to 1; null before the period has begun. */
	availability: number | null;
}
