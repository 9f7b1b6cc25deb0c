// Password hashing: scrypt from @noble/hashes (pure JS, runs in workerd).
// Why not PBKDF2 from WebCrypto: workerd caps it at 100,000 iterations, below today's
// guidance for PBKDF2-SHA256; argon2/scrypt in WASM need runtime compilation, which
// Workers forbid. scrypt N=2^15, r=8, p=3 is one of OWASP's recommended settings and
// needs 32 MiB, which fits a Worker's 128 MB. See docs/decisions/password-hashing.md.
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { base64url, fromBase64url, timingSafeEqual } from "./bytes";

export interface ScryptParams {
	N: number;
	r: number;
	p: number;
}

export const DEFAULT_PARAMS: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

/** The work factor for new hashes: `SCRYPT_N` (a power of two) may lower it for tests or raise it. */
export function paramsFor(env: { SCRYPT_N?: string }): ScryptParams {
	const n = Number(env.SCRYPT_N);
	return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0 ? { ...DEFAULT_PARAMS, N: n } : DEFAULT_PARAMS;
}
const PREFIX = "scrypt";

/**
 * Encoded as `scrypt$N$r$p$salt$hash`: verification reads the parameters from the hash, so
 * they can be raised later without a migration (and test fixtures may use cheaper ones).
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const key = await scryptAsync(password.normalize("NFKC"), salt, { ...params, dkLen: 32 });
	return [PREFIX, params.N, params.r, params.p, base64url(salt), base64url(key)].join("$");
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
	const [prefix, n, r, p, salt, key] = encoded.split("$");
	if (prefix !== PREFIX || !n || !r || !p || !salt || !key) return false;
	const expected = fromBase64url(key);
	const actual = await scryptAsync(password.normalize("NFKC"), fromBase64url(salt), {
		N: Number(n),
		r: Number(r),
		p: Number(p),
		dkLen: expected.length,
	});
	return timingSafeEqual(actual, expected);
}

// Verifying against this when the account does not exist costs the same time as a real
// check, so response time does not reveal which addresses have accounts.
const decoys = new Map<number, Promise<string>>();
/** Always false: the account does not exist or cannot sign in, but it took as long to say so. */
export async function burnPasswordCheck(password: string, params: ScryptParams): Promise<false> {
	if (!decoys.has(params.N)) decoys.set(params.N, hashPassword(crypto.randomUUID(), params));
	await verifyPassword(password, await (decoys.get(params.N) as Promise<string>));
	return false;
}
