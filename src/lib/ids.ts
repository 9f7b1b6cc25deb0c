import { encodeTime, monotonicFactory } from "ulid";
import { sha256Hex } from "./bytes";

// Monotonic within an isolate: two messages stored in the same millisecond still sort
// in arrival order, which keyset pagination and ordered drains rely on.
const next = monotonicFactory();

/** A new ULID; `now` comes from the caller's clock so tests can drive time. */
export function newId(now: number = Date.now()): string {
	return next(now);
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The same ULID-shaped id every time for the same `at` and `key`: the time part is `at`, the
 * random part 80 bits of SHA-256(key). For rows a redelivered job must write once (the
 * primary key makes the second insert a no-op) that still sort by time among newId() rows.
 */
export async function stableId(at: number, key: string): Promise<string> {
	const digest = await sha256Hex(key);
	let bits = BigInt(`0x${digest.slice(0, 20)}`);
	let random = "";
	for (let i = 0; i < 16; i++) {
		random = (CROCKFORD[Number(bits & 31n)] as string) + random;
		bits >>= 5n;
	}
	return encodeTime(at, 10) + random;
}
