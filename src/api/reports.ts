// Reports for a customer admin: per domain and period, mail received, held, delivered after
// an outage and bounced per UTC hour or day, the outage and hold timelines and availability;
// as JSON for the Reports page and as CSV for spreadsheets. Mounted under /api/admin, scoped by
// c.var.customerId: another company's domain answers 404, like one that does not exist.
import { Hono } from "hono";
import { findCustomerDomain } from "../db/admin-domains";
import { bucketize, HOUR_MS } from "../db/report-sql";
import { loadTransitions } from "../db/reports";
import { domainRelay } from "../domain/domain-relay";
import { csvDocument, csvFilename } from "../lib/csv";
import type { AppEnv } from "./context";
import { problem } from "./problem";
import { PeriodError, parsePeriod } from "./report-period";
import { timelines } from "./report-timeline";
import type { Report, ReportCounts } from "./report-types";

type Query = Record<string, string | undefined>;

async function buildReport(c: { var: AppEnv["Variables"]; env: Env }, query: Query): Promise<Report> {
	const now = c.var.clock.now();
	let period: ReturnType<typeof parsePeriod>;
	try {
		period = parsePeriod(query, now);
	} catch (err) {
		if (err instanceof PeriodError) throw problem(422, "Invalid report period", err.message);
		throw err;
	}
	if (!query.domain) throw problem(422, "Invalid report period", "domain must be the id of one of your domains");
	const domain = await findCustomerDomain(c.var.db, c.var.customerId, query.domain);
	if (!domain) throw problem(404, "Domain not found");
	// The counts from the domain's object (one row per hour at most), the transitions from D1.
	const [hours, transitions] = await Promise.all([
		domainRelay(c.env, domain.name).reportCounts(
			{ id: domain.id, customerId: c.var.customerId },
			Math.floor(period.start / HOUR_MS),
			Math.ceil(period.end / HOUR_MS) - 1,
		),
		loadTransitions(c.var.db, { customerId: c.var.customerId, domainId: domain.id, end: period.end }),
	]);
	const { outages, holds } = timelines(transitions, period.start, period.end, now);
	// Buckets that have not begun are left out: zeros there would read as "no mail", not "not yet".
	const begun = bucketize(hours, period).filter((_, i) => period.start + i * period.bucketMs <= now);
	const totals: ReportCounts = { received: 0, held: 0, deliveredAfterRecovery: 0, bounced: 0 };
	for (const b of begun) for (const k of Object.keys(totals) as (keyof ReportCounts)[]) totals[k] += b[k];
	const downtimeSeconds = outages.reduce((s, o) => s + o.seconds, 0);
	const observedSeconds = Math.max(0, Math.round((Math.min(period.end, now) - period.start) / 1000));
	return {
		domain: { id: domain.id, name: domain.name, displayName: domain.displayName },
		from: period.from,
		to: period.to,
		timeZone: "UTC",
		periodStart: new Date(period.start).toISOString(),
		periodEnd: new Date(period.end).toISOString(),
		bucket: period.bucket,
		series: begun.map((b, i) => ({ start: new Date(period.start + i * period.bucketMs).toISOString(), ...b })),
		totals,
		outages,
		holds,
		downtimeSeconds,
		observedSeconds,
		availability: observedSeconds > 0 ? Math.max(0, 1 - downtimeSeconds / observedSeconds) : null,
	};
}

const csvHeaders = (filename: string) => ({
	"Content-Type": "text/csv; charset=utf-8",
	"Content-Disposition": `attachment; filename="${csvFilename(filename)}"`,
});

export const reportRoutes = new Hono<AppEnv>()
	.get("/reports", async (c) => c.json<Report>(await buildReport(c, c.req.query())))
	.get("/reports.csv", async (c) => {
		// ?table=series (default): one row per bucket. ?table=outages: the outage and hold timelines.
		const table = c.req.query("table") ?? "series";
		if (table !== "series" && table !== "outages") throw problem(422, "Invalid report period", "table must be series or outages");
		const r = await buildReport(c, c.req.query());
		const name = `${r.domain.name}_${r.from}_${r.to}`;
		if (table === "outages") {
			const row = (timeline: string, s: Report["holds"][number], cause: string | null) => [
				timeline,
				s.start,
				s.end ?? "",
				s.seconds,
				s.ongoing ? "yes" : "no",
				cause ?? "",
			];
			const csv = csvDocument([
				["timeline", "start_utc", "end_utc", "seconds", "ongoing", "cause"],
				...r.outages.map((o) => row("outage", o, o.cause)),
				...r.holds.map((h) => row("hold", h, null)),
			]);
			return c.body(csv, 200, csvHeaders(`outages_${name}`));
		}
		const csv = csvDocument([
			[`${r.bucket}_start_utc`, "received", "held", "delivered_after_recovery", "bounced"],
			...r.series.map((p) => [p.start, p.received, p.held, p.deliveredAfterRecovery, p.bounced]),
		]);
		return c.body(csv, 200, csvHeaders(`mail-per-${r.bucket}_${name}`));
	});
