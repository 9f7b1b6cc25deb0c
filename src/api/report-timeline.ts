// A domain's outage and hold timelines, replayed from its events: domain.down / domain.up
// (written by the domain's Durable Object when its health changes) and domain.hold /
// domain.release (an admin's maintenance hold). Replayed as state machines, so a repeated
// event (a second hold while held) neither opens nor closes anything. Pure.
import type { ReportInterval, ReportOutage } from "./report-types";

export interface Transition {
	kind: string;
	at: number;
	detail: string;
}

interface Span {
	start: number;
	/** null: still open. */
	end: number | null;
	cause: string | null;
}

function replay(transitions: Transition[], opens: string, closes: string): Span[] {
	const spans: Span[] = [];
	let open: Span | null = null;
	for (const t of transitions) {
		if (t.kind === opens && !open) {
			open = { start: t.at, end: null, cause: causeOf(t.detail) };
			spans.push(open);
		} else if (t.kind === closes && open) {
			open.end = t.at;
			open = null;
		}
	}
	return spans;
}

function causeOf(detail: string): string | null {
	try {
		const error = (JSON.parse(detail) as { error?: unknown }).error;
		return typeof error === "string" ? error : null;
	} catch {
		return null;
	}
}

/** A span clipped to [start, end) and to now; null when nothing of it falls in the period. */
function clip(span: Span, start: number, end: number, now: number): (ReportInterval & { cause: string | null }) | null {
	const until = Math.min(span.end ?? now, end, now);
	const from = Math.max(span.start, start);
	if (until <= from) return null;
	const ongoing = span.end === null;
	const endedAfter = (span.end ?? now) > end;
	return {
		start: new Date(from).toISOString(),
		end: ongoing && !endedAfter ? null : new Date(until).toISOString(),
		seconds: Math.round((until - from) / 1000),
		ongoing,
		startedBefore: span.start < start,
		endedAfter,
		cause: span.cause,
	};
}

/** Outages and holds within [start, end), up to now, oldest first. */
export function timelines(transitions: Transition[], start: number, end: number, now: number) {
	const within = (spans: Span[]) => spans.map((s) => clip(s, start, end, now)).filter((s) => s !== null);
	const outages: ReportOutage[] = within(replay(transitions, "domain.down", "domain.up"));
	const holds: ReportInterval[] = within(replay(transitions, "domain.hold", "domain.release")).map(({ cause: _, ...rest }) => rest);
	return { outages, holds };
}
