// The Reports page's chart: mail per bucket as four step lines, outages and maintenance holds
// as shaded bands behind them. Its own chunk (main.tsx → admin → lazy here), so uPlot and its
// CSS load only when a report is on screen. Colours come from the page's CSS variables, and the
// chart is rebuilt when the colour scheme changes; it follows its box's width (375 px phones).
import { createEffect, on, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Report, ReportInterval } from "../../../src/api/report-types";

const HEIGHT = 260;

const seconds = (iso: string) => Date.parse(iso) / 1000;

/** A CSS custom property of the page, as the canvas needs it (a colour string). */
const cssVar = (el: Element, name: string) => getComputedStyle(el).getPropertyValue(name).trim();

function chartData(r: Report): uPlot.AlignedData {
	const bucket = r.bucket === "hour" ? 3600 : 86_400;
	const xs = r.series.map((p) => seconds(p.start));
	const last = r.series.at(-1);
	// Steps are drawn from one point to the next: one more point closes the last bucket.
	if (last) xs.push(seconds(last.start) + bucket);
	const column = (key: "received" | "held" | "deliveredAfterRecovery" | "bounced") => {
		const ys: (number | null)[] = r.series.map((p) => p[key]);
		if (last) ys.push(last[key]);
		return ys;
	};
	return [xs, column("received"), column("held"), column("deliveredAfterRecovery"), column("bounced")];
}

function bands(u: uPlot, intervals: ReportInterval[], fill: string, periodEnd: string) {
	const ctx = u.ctx;
	ctx.save();
	ctx.fillStyle = fill;
	for (const i of intervals) {
		const x0 = u.valToPos(seconds(i.start), "x", true);
		const x1 = u.valToPos(seconds(i.end ?? new Date(Math.min(Date.now(), Date.parse(periodEnd))).toISOString()), "x", true);
		// At least a pixel: a short outage on a 90-day chart must still show.
		ctx.fillRect(x0, u.bbox.top, Math.max(x1 - x0, 1), u.bbox.height);
	}
	ctx.restore();
}

function options(r: Report, box: HTMLElement, width: number): uPlot.Options {
	const v = (name: string) => cssVar(box, name);
	const axis = { stroke: v("--muted"), grid: { stroke: v("--border"), width: 1 }, ticks: { stroke: v("--border"), width: 1 } };
	const step = uPlot.paths.stepped?.({ align: 1 });
	const line = (label: string, color: string, dash?: number[]): uPlot.Series => ({
		label,
		stroke: color,
		width: 2,
		...(dash ? { dash } : {}),
		...(step ? { paths: step } : {}),
		points: { show: false },
	});
	return {
		width,
		height: HEIGHT,
		// The API's buckets are UTC hours and days: the axis says the same hours.
		tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
		scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
		axes: [axis, { ...axis, size: 44 }],
		legend: { live: true },
		cursor: { points: { show: false } },
		series: [
			{ label: "Time (UTC)" },
			// Colour and dash both: the lines stay apart in grey print and for colour-blind readers.
			line("Received", v("--accent")),
			line("Held", v("--held-text"), [8, 4]),
			line("Delivered after recovery", v("--ok-text"), [2, 3]),
			line("Bounced", v("--error-text"), [12, 3, 2, 3]),
		],
		hooks: {
			drawClear: [
				(u) => {
					bands(u, r.holds, v("--held-bg"), r.periodEnd);
					bands(u, r.outages, v("--error-bg"), r.periodEnd);
				},
			],
		},
	};
}

export default function ReportChart(props: { report: Report }) {
	let box!: HTMLDivElement;
	let plot: uPlot | undefined;
	const build = () => {
		plot?.destroy();
		plot = new uPlot(options(props.report, box, box.clientWidth), chartData(props.report), box);
	};
	// A new period or domain: a new chart (uPlot's series and bands are set at construction).
	createEffect(on(() => props.report, build));
	onMount(() => {
		const resize = new ResizeObserver(() => {
			if (plot && Math.abs(plot.width - box.clientWidth) >= 1) plot.setSize({ width: box.clientWidth, height: HEIGHT });
		});
		resize.observe(box);
		const scheme = matchMedia("(prefers-color-scheme: dark)");
		scheme.addEventListener("change", build);
		onCleanup(() => {
			resize.disconnect();
			scheme.removeEventListener("change", build);
			plot?.destroy();
		});
	});
	return (
		<div
			ref={box}
			class="report-chart"
			role="img"
			aria-label={`Chart of mail per ${props.report.bucket} for ${props.report.domain.displayName}: received, held, delivered after recovery and bounced, with outages and maintenance holds shaded.`}
		/>
	);
}
