// The period a report covers, from its query (?from=YYYY-MM-DD&to=YYYY-MM-DD&bucket=hour|day),
// checked at the boundary. Whole UTC days: a day bucket is a UTC day, never the viewer's, so the
// same link gives every admin the same numbers. Pure: the route passes the clock's now.
import type { ReportBucket } from "./report-types";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** A year and a leap day: longer reports are a data export, not a chart. */
export const MAX_DAYS = 366;
/** Hourly for at most two weeks: 336 points is about what a chart (and a table) can show. */
export const MAX_HOUR_DAYS = 14;
/** When no period is asked for: the last 30 days, today included, by day. */
export const DEFAULT_DAYS = 30;

export interface Period {
	/** As asked (or defaulted), inclusive. */
	from: string;
	to: string;
	bucket: ReportBucket;
	/** 00:00 UTC on `from`. */
	start: number;
	/** 00:00 UTC the day after `to` (exclusive). */
	end: number;
	bucketMs: number;
}

/** Why a query is refused, naming the parameter first (the page ties the message to that field). */
export class PeriodError extends Error {}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a real calendar date, or null (2026-02-30 is not one). */
export function parseDate(value: string): number | null {
	const m = DATE.exec(value);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const at = Date.UTC(y, mo - 1, d);
	const back = new Date(at);
	return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? at : null;
}

export const formatDate = (at: number) => new Date(at).toISOString().slice(0, 10);

export function parsePeriod(query: { from?: string; to?: string; bucket?: string }, now: number): Period {
	const date = (name: "from" | "to") => {
		const value = query[name];
		if (value === undefined || value === "") return undefined;
		const at = parseDate(value);
		if (at === null) throw new PeriodError(`${name} must be a date written YYYY-MM-DD (UTC), such as ${formatDate(now)}`);
		return at;
	};
	const today = Math.floor(now / DAY_MS) * DAY_MS;
	const askedFrom = date("from");
	const askedTo = date("to");
	const to = askedTo ?? (askedFrom !== undefined ? Math.max(today, askedFrom) : today);
	const from = askedFrom ?? to - (DEFAULT_DAYS - 1) * DAY_MS;
	if (from > to) throw new PeriodError("from must be on or before to");
	const days = (to - from) / DAY_MS + 1;
	if (days > MAX_DAYS) throw new PeriodError(`to must be at most ${MAX_DAYS} days after from (the period is ${days} days)`);
	const bucket = query.bucket === undefined || query.bucket === "" ? "day" : query.bucket;
	if (bucket !== "hour" && bucket !== "day") throw new PeriodError("bucket must be hour or day");
	if (bucket === "hour" && days > MAX_HOUR_DAYS)
		throw new PeriodError(`bucket must be day for periods longer than ${MAX_HOUR_DAYS} days (the period is ${days} days)`);
	return {
		from: formatDate(from),
		to: formatDate(to),
		bucket,
		start: from,
		end: to + DAY_MS,
		bucketMs: bucket === "hour" ? HOUR_MS : DAY_MS,
	};
}
