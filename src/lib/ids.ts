import { monotonicFactory } from "ulid";

// Monotonic within an isolate: two messages stored in the same millisecond still sort
// in arrival order, which keyset pagination and ordered drains rely on.
const next = monotonicFactory();

/** A new ULID; `now` comes from the caller's clock so tests can drive time. */
export function newId(now: number = Date.now()): string {
	return next(now);
}
