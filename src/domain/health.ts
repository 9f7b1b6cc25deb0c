// The downstream server's health as a small state machine with hysteresis, so one hiccup
// does not flip the domain into an outage and one lucky probe does not end it.
// Pure: the Durable Object stores the state and feeds it events.

export type HealthState = "up" | "down";

export interface Health {
	state: HealthState;
	/** When the current state began. */
	since: number;
	/** Consecutive transient session failures while up. */
	failures: number;
	/** Consecutive successful probes while down. */
	successes: number;
	lastError: string | null;
	lastProbeAt: number | null;
	/** How many probes have run in this outage: drives the probe backoff. */
	probes: number;
}

export interface Thresholds {
	failuresToDown: number;
	probesToUp: number;
}

export type HealthEvent =
	| { kind: "session-ok"; at: number }
	| { kind: "session-failed"; at: number; error: string; refused: boolean }
	| { kind: "probe-ok"; at: number }
	| { kind: "probe-failed"; at: number; error: string }
	| { kind: "forced-up"; at: number };

export const initialHealth = (at: number): Health => ({
	state: "up",
	since: at,
	failures: 0,
	successes: 0,
	lastError: null,
	lastProbeAt: null,
	probes: 0,
});

export function nextHealth(h: Health, e: HealthEvent, t: Thresholds): Health {
	switch (e.kind) {
		case "session-ok":
			return h.state === "up" ? { ...h, failures: 0 } : h;
		case "session-failed": {
			if (h.state === "down") return { ...h, lastError: e.error };
			const failures = h.failures + 1;
			// A refused connection is unambiguous: nothing listens. Timeouts and 4xx may be a blip.
			if (e.refused || failures >= t.failuresToDown)
				return { ...h, state: "down", since: e.at, failures, successes: 0, probes: 0, lastError: e.error };
			return { ...h, failures, lastError: e.error };
		}
		case "probe-ok": {
			if (h.state === "up") return { ...h, lastProbeAt: e.at };
			const successes = h.successes + 1;
			if (successes >= t.probesToUp)
				return { ...h, state: "up", since: e.at, failures: 0, successes: 0, lastProbeAt: e.at, probes: h.probes + 1 };
			return { ...h, successes, lastProbeAt: e.at, probes: h.probes + 1 };
		}
		case "probe-failed":
			return { ...h, successes: 0, lastError: e.error, lastProbeAt: e.at, probes: h.probes + 1 };
		case "forced-up":
			return { ...h, state: "up", since: e.at, failures: 0, successes: 0, probes: 0 };
	}
}

// While down, probe soon (most outages are short), then back off so a long outage costs little;
// once a probe succeeds, confirm quickly.
const PROBE_BACKOFF_S = [30, 60, 120, 300, 600, 900];
const CONFIRM_S = 15;

export function nextProbeAt(h: Health, now: number): number | null {
	if (h.state === "up") return null;
	if (h.successes > 0) return now + CONFIRM_S * 1000;
	const step = PROBE_BACKOFF_S[Math.min(h.probes, PROBE_BACKOFF_S.length - 1)] as number;
	return now + step * 1000;
}
