// Pure schedule arithmetic for one domain's spool. Times are Unix ms, durations seconds
// (as stored in the domain's policy). No runtime imports: unit-tested without workerd.

export interface DeliveryPolicy {
	/** Seconds between attempts; the last entry repeats ("then hourly"). */
	retrySchedule: number[];
	/** Seconds after arrival at which a delayed DSN goes out. */
	delayWarnings: number[];
	/** Seconds after arrival at which we give up with a 4.4.7 failure. */
	lifetimeSeconds: number;
}

/** The policy as a domain row stores it (JSON lists in D1). */
export function policyOf(d: { retrySchedule: string; delayWarnings: string; lifetimeSeconds: number }): DeliveryPolicy {
	return {
		retrySchedule: JSON.parse(d.retrySchedule) as number[],
		delayWarnings: JSON.parse(d.delayWarnings) as number[],
		lifetimeSeconds: d.lifetimeSeconds,
	};
}

/** When the next attempt is due after `attempts` failed ones. */
export function nextAttemptAt(failedAt: number, attempts: number, retrySchedule: number[]): number {
	const step = retrySchedule[Math.min(Math.max(attempts, 1), retrySchedule.length) - 1] ?? 3600;
	return failedAt + step * 1000;
}

export function expiresAt(receivedAt: number, lifetimeSeconds: number): number {
	return receivedAt + lifetimeSeconds * 1000;
}

/**
 * The delay marks now due for a message that already had `sent` warnings: the highest due
 * mark only (a message discovered late gets one warning, not three at once), and none at
 * or past the lifetime, when the failure notice takes over.
 */
export function dueWarning(receivedAt: number, now: number, sent: number, policy: DeliveryPolicy): { index: number; mark: number } | null {
	const marks = policy.delayWarnings.filter((m) => m < policy.lifetimeSeconds);
	let due: { index: number; mark: number } | null = null;
	for (let i = sent; i < marks.length; i++) {
		const mark = marks[i] as number;
		if (receivedAt + mark * 1000 <= now) due = { index: i, mark };
	}
	return due;
}

/** The next instant a warning becomes due, or null when none is left. */
export function nextWarningAt(receivedAt: number, sent: number, policy: DeliveryPolicy): number | null {
	const marks = policy.delayWarnings.filter((m) => m < policy.lifetimeSeconds);
	const mark = marks[sent];
	return mark === undefined ? null : receivedAt + mark * 1000;
}

/**
 * The next instant the schedule must look at a waiting message: its next delay warning or
 * the end of its lifetime, whichever comes first (kept per row as spool.next_event_at).
 */
export function nextEventAt(receivedAt: number, sent: number, policy: DeliveryPolicy): number {
	const expiry = expiresAt(receivedAt, policy.lifetimeSeconds);
	const warning = nextWarningAt(receivedAt, sent, policy);
	return warning === null ? expiry : Math.min(warning, expiry);
}

export type PolicyError = string;

/** Validates policy values an admin sets; returns what is wrong, or null. */
export function validatePolicy(p: Partial<DeliveryPolicy>): PolicyError | null {
	const positiveList = (name: string, list: unknown, max: number): PolicyError | null => {
		if (!Array.isArray(list) || list.length === 0 || list.length > 50) return `${name} must be a list of 1 to 50 durations in seconds`;
		for (const v of list) if (!Number.isInteger(v) || v < 60 || v > max) return `${name} entries must be whole seconds from 60 to ${max}`;
		return null;
	};
	if (p.retrySchedule !== undefined) {
		const e = positiveList("retrySchedule", p.retrySchedule, 86_400);
		if (e) return e;
	}
	if (p.delayWarnings !== undefined) {
		const e = positiveList("delayWarnings", p.delayWarnings, 30 * 86_400);
		if (e) return e;
		for (let i = 1; i < p.delayWarnings.length; i++)
			if ((p.delayWarnings[i] as number) <= (p.delayWarnings[i - 1] as number)) return "delayWarnings must increase";
	}
	if (p.lifetimeSeconds !== undefined) {
		if (!Number.isInteger(p.lifetimeSeconds) || p.lifetimeSeconds < 3600 || p.lifetimeSeconds > 30 * 86_400)
			return "lifetimeSeconds must be whole seconds from 1 hour to 30 days (the longest a held message is kept)";
	}
	return null;
}
