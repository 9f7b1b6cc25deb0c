// The pure parts of the domain's Durable Object: schedule arithmetic and health hysteresis.
import { describe, expect, it } from "vitest";
import { planBatches } from "../../src/domain/batching";
import { type Health, initialHealth, nextHealth, nextProbeAt } from "../../src/domain/health";
import {
	type DeliveryPolicy,
	dueWarning,
	expiresAt,
	nextAttemptAt,
	nextEventAt,
	nextWarningAt,
	validatePolicy,
} from "../../src/domain/schedule";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const seed: DeliveryPolicy = {
	retrySchedule: [300, 900, 1800, 3600],
	delayWarnings: [14_400, 86_400, 259_200],
	lifetimeSeconds: 30 * 86_400,
};

describe("retry schedule", () => {
	it("follows the seed's 5m, 15m, 30m, then hourly", () => {
		const gaps = [1, 2, 3, 4, 5, 9].map((attempts) => (nextAttemptAt(0, attempts, seed.retrySchedule) - 0) / MIN);
		expect(gaps).toEqual([5, 15, 30, 60, 60, 60]);
	});

	it("gives up 30 days after arrival", () => {
		expect(expiresAt(1000, seed.lifetimeSeconds)).toBe(1000 + 30 * DAY);
	});
});

describe("delay warnings", () => {
	it("are due at 4h, 1d and 3d, one each", () => {
		expect(dueWarning(0, 4 * HOUR - 1, 0, seed)).toBeNull();
		expect(dueWarning(0, 4 * HOUR, 0, seed)).toEqual({ index: 0, mark: 14_400 });
		expect(dueWarning(0, 5 * HOUR, 1, seed)).toBeNull();
		expect(dueWarning(0, DAY, 1, seed)).toEqual({ index: 1, mark: 86_400 });
		expect(dueWarning(0, 3 * DAY, 2, seed)).toEqual({ index: 2, mark: 259_200 });
		expect(dueWarning(0, 10 * DAY, 3, seed)).toBeNull();
	});

	it("sends only the latest due mark to a message found late, not a burst", () => {
		expect(dueWarning(0, 2 * DAY, 0, seed)).toEqual({ index: 1, mark: 86_400 });
	});

	it("stops at the lifetime, where the failure notice takes over", () => {
		const short = { ...seed, lifetimeSeconds: 86_400 };
		expect(dueWarning(0, 2 * DAY, 1, short)).toBeNull();
		expect(nextWarningAt(0, 1, short)).toBeNull();
		expect(nextWarningAt(0, 0, seed)).toBe(4 * HOUR);
	});
});

describe("a waiting message's next event", () => {
	it("is its next warning, then its expiry once the warnings are spent or past the lifetime", () => {
		expect(nextEventAt(0, 0, seed)).toBe(4 * HOUR);
		expect(nextEventAt(0, 2, seed)).toBe(3 * DAY);
		expect(nextEventAt(0, 3, seed)).toBe(30 * DAY);
		expect(nextEventAt(0, 0, { ...seed, delayWarnings: [40 * 86_400], lifetimeSeconds: 86_400 })).toBe(DAY);
	});
});

describe("policy validation", () => {
	it("accepts the defaults and refuses nonsense with a reason", () => {
		expect(validatePolicy(seed)).toBeNull();
		expect(validatePolicy({ retrySchedule: [] })).toMatch(/retrySchedule/);
		expect(validatePolicy({ retrySchedule: [10] })).toMatch(/from 60/);
		expect(validatePolicy({ delayWarnings: [86_400, 3600] })).toMatch(/increase/);
		expect(validatePolicy({ lifetimeSeconds: 31 * 86_400 })).toMatch(/30 days/);
		expect(validatePolicy({ lifetimeSeconds: 1.5 as number })).toMatch(/whole seconds/);
	});
});

describe("health hysteresis", () => {
	const t = { failuresToDown: 3, probesToUp: 2 };
	const fail = (h: Health, at: number, refused = false) => nextHealth(h, { kind: "session-failed", at, error: "421 busy", refused }, t);

	it("goes down after N consecutive transient failures, not before", () => {
		let h = initialHealth(0);
		h = fail(h, 1);
		h = fail(h, 2);
		expect(h.state).toBe("up");
		h = fail(h, 3);
		expect(h).toMatchObject({ state: "down", since: 3, lastError: "421 busy" });
	});

	it("a success in between resets the count", () => {
		let h = fail(fail(initialHealth(0), 1), 2);
		h = nextHealth(h, { kind: "session-ok", at: 3 }, t);
		expect(fail(h, 4).state).toBe("up");
	});

	it("goes down at once on a refused connection", () => {
		expect(fail(initialHealth(0), 1, true).state).toBe("down");
	});

	it("comes back after M successful probes, and a failed probe restarts the count", () => {
		let h = fail(initialHealth(0), 1, true);
		h = nextHealth(h, { kind: "probe-ok", at: 2 }, t);
		expect(h.state).toBe("down");
		h = nextHealth(h, { kind: "probe-failed", at: 3, error: "refused" }, t);
		h = nextHealth(h, { kind: "probe-ok", at: 4 }, t);
		expect(h.state).toBe("down");
		h = nextHealth(h, { kind: "probe-ok", at: 5 }, t);
		expect(h).toMatchObject({ state: "up", since: 5 });
	});

	it("probes with backoff while down, quickly to confirm a recovery", () => {
		let h = fail(initialHealth(0), 0, true);
		const gaps: number[] = [];
		for (let i = 0; i < 8; i++) {
			gaps.push(((nextProbeAt(h, 0) as number) - 0) / 1000);
			h = nextHealth(h, { kind: "probe-failed", at: 0, error: "refused" }, t);
		}
		expect(gaps).toEqual([30, 60, 120, 300, 600, 900, 900, 900]);
		h = nextHealth(h, { kind: "probe-ok", at: 0 }, t);
		expect(nextProbeAt(h, 0)).toBe(15_000);
		expect(nextProbeAt(initialHealth(0), 0)).toBeNull();
	});
});

describe("drain batches", () => {
	const due = (spec: string) => spec.split(" ").map((s, i) => ({ id: `${s}${i}`, recipient: s }));

	it("keeps each recipient in one batch, in arrival order, and uses both connections", () => {
		expect(planBatches(due("a b a a b"), 2, 20)).toEqual([
			["a0", "a2", "a3"],
			["b1", "b4"],
		]);
	});

	it("holds back a recipient's later mail when its batch is full, so nothing overtakes", () => {
		expect(planBatches(due("a a a b"), 2, 2)).toEqual([["a0", "a1"], ["b3"]]);
	});

	it("puts new recipients into the emptiest batch once every connection has one", () => {
		expect(planBatches(due("a b c c d"), 2, 3)).toEqual([
			["a0", "c2", "c3"],
			["b1", "d4"],
		]);
		expect(planBatches(due("a b c"), 1, 2)).toEqual([["a0", "b1"]]);
		expect(planBatches([], 2, 20)).toEqual([]);
		expect(planBatches(due("a"), 0, 20)).toEqual([]);
	});
});
