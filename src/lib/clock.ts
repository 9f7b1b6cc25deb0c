/** Injected wherever time matters, so tests drive it instead of sleeping. */
export interface Clock {
	now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
