// Company settings → Reports: per domain and period, how much mail came in, how much was held
// here, delivered after the server came back or bounced, and when the server was down. The
// chart (uPlot, its own chunk: only this page loads it) has an equal in tables for people who
// cannot see it; the choices live in the URL so a report can be bookmarked or sent on.
import { useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, lazy, on, Show, Suspense } from "solid-js";
import type { Report, ReportCounts, ReportInterval } from "../../../src/api/report-types";
import { adminApi, adminRequest, adminUrl } from "../api";
import { plural } from "../format";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import "./reports.css";
import type { AdminDomain } from "../../../src/api/domain-types";
import { Field } from "../components/field";
import { Loading } from "../components/loading";
import { useCompanyName } from "./scope";

const ReportChart = lazy(() => import("./report-chart"));

type Preset = "24h" | "7d" | "30d" | "90d" | "custom";
type Bucket = "hour" | "day";

/** Whole UTC days ending today; hourly where the points stay readable (the API allows up to 14 days). */
const PRESETS: { id: Exclude<Preset, "custom">; label: string; days: number; bucket: Bucket }[] = [
	// Yesterday and today: the last 24 hours, whatever the time of day, in whole UTC days.
	{ id: "24h", label: "Last 24 hours", days: 2, bucket: "hour" },
	{ id: "7d", label: "7 days", days: 7, bucket: "hour" },
	{ id: "30d", label: "30 days", days: 30, bucket: "day" },
	{ id: "90d", label: "90 days", days: 90, bucket: "day" },
];

const DAY_MS = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const MEASURES: { key: keyof ReportCounts; label: string; definition: string }[] = [
	{ key: "received", label: "Received", definition: "Messages that arrived for the domain in the hour or day." },
	{
		key: "held",
		label: "Held",
		definition:
			"Of those received, how many were held here at some point: during an outage, a maintenance hold, or while no destination was set.",
	},
	{
		key: "deliveredAfterRecovery",
		label: "Delivered after recovery",
		definition: "Held messages then delivered to your server, counted in the hour or day they were delivered.",
	},
	{
		key: "bounced",
		label: "Bounced",
		definition:
			"Messages given up on (refused by your server, expired after the holding time, or bounced by an administrator), counted when they bounced.",
	},
];

/** "2 h 5 min", "3 d 4 h", "40 s": a duration for people. */
export function durationText(seconds: number): string {
	if (seconds < 60) return `${seconds} s`;
	const d = Math.floor(seconds / 86_400);
	const h = Math.floor((seconds % 86_400) / 3600);
	const m = Math.floor((seconds % 3600) / 60);
	if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
	if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
	return `${m} min`;
}

/** An ISO instant as "2026-11-27 14:05" (UTC, like everything on this page). */
const utcText = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

const percentText = (a: number) => `${(a * 100).toLocaleString(undefined, { maximumFractionDigits: a === 1 ? 0 : 3 })} %`;

export default function Reports() {
	const company = useCompanyName();
	useTitle(() => "Reports");
	const guard = useSessionGuard();
	const [params, setParams] = useSearchParams();
	const [domains, setDomains] = createSignal<AdminDomain[]>();
	const [report, setReport] = createSignal<Report>();
	const [error, setError] = createSignal<unknown>();
	const [loading, setLoading] = createSignal(false);

	const preset = (): Preset => {
		const p = String(params.period ?? "30d");
		return p === "custom" || PRESETS.some((x) => x.id === p) ? (p as Preset) : "30d";
	};
	const domainId = () => String(params.domain ?? "") || domains()?.[0]?.id || "";
	/** The query the API gets: explicit dates, so "30 days" means the same days on every call. */
	const query = createMemo(() => {
		const p = preset();
		const today = Date.now();
		const chosen = PRESETS.find((x) => x.id === p);
		const from = chosen ? utcDate(today - (chosen.days - 1) * DAY_MS) : String(params.from ?? utcDate(today - 29 * DAY_MS));
		const to = chosen ? utcDate(today) : String(params.to ?? utcDate(today));
		const bucket = (params.bucket === "hour" || params.bucket === "day" ? params.bucket : (chosen?.bucket ?? "day")) as Bucket;
		return { domain: domainId(), from, to, bucket };
	});

	adminApi.domains().then(
		(r) => setDomains(r.domains),
		(err) => {
			if (!guard(err)) setError(err);
		},
	);

	// An answer for the previous choice must not land in this one.
	let generation = 0;
	async function load() {
		const q = query();
		if (!q.domain) return;
		const gen = ++generation;
		setLoading(true);
		setError(undefined);
		try {
			const r = await adminRequest<Report>("GET", "/reports", undefined, q);
			if (gen === generation) setReport(r);
		} catch (err) {
			if (gen === generation && !guard(err)) {
				setError(err);
				setReport(undefined);
			}
		} finally {
			if (gen === generation) setLoading(false);
		}
	}
	createEffect(
		on(
			() => JSON.stringify(query()),
			() => void load(),
		),
	);

	const choosePreset = (p: Preset) => {
		const q = query();
		// Custom starts from the period on screen, so the dates can be adjusted rather than typed.
		setParams(
			p === "custom"
				? { period: p, from: q.from, to: q.to, bucket: q.bucket }
				: { period: p, from: undefined, to: undefined, bucket: undefined },
		);
	};

	const bucketWord = () => (report()?.bucket === "hour" ? "hour" : "day");

	return (
		<Show when={!isForbidden(error())} fallback={<Forbidden detail={errorText(error(), "")} />}>
			<section class="admin-page reports" aria-labelledby="reports-title" aria-busy={loading()}>
				<div class="list-head">
					<h1 id="reports-title">Reports</h1>
				</div>
				<form class="report-controls" onSubmit={(e) => e.preventDefault()}>
					<Field id="report-domain" label="Domain">
						{(control) => (
							<select {...control} onChange={(e) => setParams({ domain: e.currentTarget.value })}>
								<For each={domains() ?? []}>
									{(d) => (
										<option value={d.id} selected={d.id === domainId()}>
											{d.displayName}
										</option>
									)}
								</For>
							</select>
						)}
					</Field>
					<fieldset class="report-periods">
						<legend>Period</legend>
						<For each={[...PRESETS, { id: "custom" as const, label: "Custom" }]}>
							{(p) => (
								<label class="report-period">
									<input type="radio" name="report-period" value={p.id} checked={preset() === p.id} onChange={() => choosePreset(p.id)} />
									{p.label}
								</label>
							)}
						</For>
					</fieldset>
					<Show when={preset() === "custom"}>
						<Field id="report-from" label="From">
							{(control) => (
								<input
									{...control}
									type="date"
									value={query().from}
									onChange={(e) => e.currentTarget.value && setParams({ from: e.currentTarget.value })}
								/>
							)}
						</Field>
						<Field id="report-to" label="To">
							{(control) => (
								<input
									{...control}
									type="date"
									value={query().to}
									onChange={(e) => e.currentTarget.value && setParams({ to: e.currentTarget.value })}
								/>
							)}
						</Field>
					</Show>
					<Field id="report-bucket" label="Per">
						{(control) => (
							<select {...control} onChange={(e) => setParams({ bucket: e.currentTarget.value })}>
								<option value="hour" selected={query().bucket === "hour"}>
									Hour
								</option>
								<option value="day" selected={query().bucket === "day"}>
									Day
								</option>
							</select>
						)}
					</Field>
				</form>
				<p class="muted small">
					All times are UTC: each point is a UTC {query().bucket}. Hourly points go up to 14 days, periods up to 366 days.
				</p>

				<Show when={error()}>
					<div role="alert" class="notice notice-error">
						<p>{errorText(error(), "Could not load the report.")}</p>
					</div>
				</Show>
				<Show when={domains()?.length === 0}>
					<p class="empty">{company()} has no domains yet.</p>
				</Show>
				<Show when={loading() && !report()}>
					<Loading />
				</Show>

				<Show when={report()}>
					{(r) => (
						<>
							<p class="report-period-line">
								<strong>{r().domain.displayName}</strong>, {r().from} to {r().to} (UTC), per {bucketWord()}
							</p>
							<dl class="counts report-summary">
								<div>
									<dt>Availability</dt>
									<dd>{r().availability === null ? "—" : percentText(r().availability as number)}</dd>
								</div>
								<div>
									<dt>Downtime</dt>
									<dd>{durationText(r().downtimeSeconds)}</dd>
								</div>
								<div>
									<dt>Outages</dt>
									<dd>{r().outages.length}</dd>
								</div>
								<div>
									<dt>Held</dt>
									<dd>{r().totals.held}</dd>
								</div>
							</dl>

							<section class="card report-chart-card" aria-labelledby="report-chart-title">
								<h2 id="report-chart-title">Mail per {bucketWord()}</h2>
								<Suspense fallback={<Loading>Loading chart…</Loading>}>
									<ReportChart report={r()} />
								</Suspense>
								<p class="muted small report-key">
									<span class="report-key-item">
										<span class="report-swatch report-swatch-outage" aria-hidden="true" /> Outage (your server down)
									</span>
									<span class="report-key-item">
										<span class="report-swatch report-swatch-hold" aria-hidden="true" /> Maintenance hold
									</span>
									<span>The tables below hold the same numbers.</span>
								</p>
							</section>

							<section class="card" aria-labelledby="report-outages-title">
								<h2 id="report-outages-title">Outages and holds</h2>
								<Show
									when={r().outages.length + r().holds.length > 0}
									fallback={<p class="muted">No outage and no maintenance hold in this period.</p>}
								>
									<div class="table-scroll">
										<table class="data-table report-table">
											<caption>
												Outages and maintenance holds of {r().domain.displayName}, {r().from} to {r().to} (UTC)
											</caption>
											<thead>
												<tr>
													<th scope="col">What</th>
													<th scope="col">From (UTC)</th>
													<th scope="col">To (UTC)</th>
													<th scope="col">Duration</th>
													<th scope="col">Cause</th>
												</tr>
											</thead>
											<tbody>
												<For each={r().outages}>{(o) => <IntervalRow what="Outage" interval={o} cause={o.cause} />}</For>
												<For each={r().holds}>{(h) => <IntervalRow what="Maintenance hold" interval={h} cause={null} />}</For>
											</tbody>
										</table>
									</div>
								</Show>
								<p class="muted small">
									An outage runs from the moment your server was marked down to the moment it was back up. A maintenance hold is an
									administrator's pause: it is not downtime and does not lower the availability.
								</p>
							</section>

							<section class="card" aria-labelledby="report-totals-title">
								<h2 id="report-totals-title">Totals</h2>
								<div class="table-scroll">
									<table class="data-table report-table report-table-totals">
										<caption>
											Mail for {r().domain.displayName}, {r().from} to {r().to} (UTC)
										</caption>
										<thead>
											<tr>
												<th scope="col">Measure</th>
												<th scope="col" class="num">
													Messages
												</th>
											</tr>
										</thead>
										<tbody>
											<For each={MEASURES}>
												{(m) => (
													<tr>
														<th scope="row">{m.label}</th>
														<td class="num">{r().totals[m.key]}</td>
													</tr>
												)}
											</For>
										</tbody>
									</table>
								</div>
								<dl class="report-definitions">
									<For each={MEASURES}>
										{(m) => (
											<>
												<dt>{m.label}</dt>
												<dd>{m.definition}</dd>
											</>
										)}
									</For>
								</dl>
								<details class="report-details">
									<summary>
										Numbers per {bucketWord()} ({plural(r().series.length, bucketWord())})
									</summary>
									<div class="table-scroll">
										<table class="data-table report-table">
											<caption>
												Mail per {bucketWord()} for {r().domain.displayName} (UTC)
											</caption>
											<thead>
												<tr>
													<th scope="col">{bucketWord() === "hour" ? "Hour (UTC)" : "Day (UTC)"}</th>
													<For each={MEASURES}>
														{(m) => (
															<th scope="col" class="num">
																{m.label}
															</th>
														)}
													</For>
												</tr>
											</thead>
											<tbody>
												<For each={r().series}>
													{(p) => (
														<tr>
															<th scope="row">{r().bucket === "hour" ? utcText(p.start) : p.start.slice(0, 10)}</th>
															<For each={MEASURES}>{(m) => <td class="num">{p[m.key]}</td>}</For>
														</tr>
													)}
												</For>
											</tbody>
										</table>
									</div>
								</details>
								<p class="report-downloads">
									<a class="button" href={adminUrl("/reports.csv", query())} download="">
										Download CSV (mail per {bucketWord()})
									</a>
									<a class="button" href={adminUrl("/reports.csv", { ...query(), table: "outages" })} download="">
										Download outages CSV
									</a>
								</p>
							</section>
						</>
					)}
				</Show>
			</section>
		</Show>
	);
}

function IntervalRow(props: { what: string; interval: ReportInterval; cause: string | null }) {
	const i = () => props.interval;
	return (
		<tr>
			<th scope="row">{props.what}</th>
			<td>
				{utcText(i().start)}
				<Show when={i().startedBefore}>
					<span class="muted"> (began before this period)</span>
				</Show>
			</td>
			<td>
				<Show when={i().end} fallback={<strong>{props.what === "Outage" ? "Still down" : "Still on hold"}</strong>}>
					{(end) => (
						<>
							{utcText(end())}
							<Show when={i().endedAfter}>
								<span class="muted"> ({i().ongoing ? "still going on" : "ended after this period"})</span>
							</Show>
						</>
					)}
				</Show>
			</td>
			<td>{durationText(i().seconds)}</td>
			<td class="report-cause">{props.cause ?? ""}</td>
		</tr>
	);
}
