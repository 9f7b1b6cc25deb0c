// Short codes that open an account (issue #12): sign-in codes mailed to a user's alternate
// address when neither our password nor the company's identity provider will do (six digits),
// and the recovery codes of a second factor. Stored only as an HMAC keyed from CREDENTIALS_KEY
// and bound to the user, so a copy of the database cannot be searched for them (a plain hash of
// a million possible codes could be).
import { hex } from "./bytes";
import { derivedHmacKey } from "./signed-links";

export const SIGNIN_CODE_DIGITS = 6;

/** A uniformly random code of SIGNIN_CODE_DIGITS digits (rejection sampling: no modulo bias). */
export function newSigninCode(): string {
	const space = 10 ** SIGNIN_CODE_DIGITS;
	const limit = Math.floor(2 ** 32 / space) * space;
	const word = new Uint32Array(1);
	for (;;) {
		crypto.getRandomValues(word);
		const n = word[0] as number;
		if (n < limit) return String(n % space).padStart(SIGNIN_CODE_DIGITS, "0");
	}
}

/** What is stored for a user's short code (hex): keyed per kind, bound to the user. */
export async function accountCodeHash(secret: string, kind: "sign-in codes" | "recovery codes", userId: string, code: string) {
	const key = await derivedHmacKey(secret, `emergency-inbox ${kind} v1`);
	const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${userId}:${code}`));
	return hex(mac);
}

export const signinCodeHash = (secret: string, userId: string, code: string) => accountCodeHash(secret, "sign-in codes", userId, code);

/** Recovery codes do not expire; the latest date there is keeps user_tokens.expires_at meaningful. */
export const RECOVERY_CODES_EXPIRE_AT = 8_640_000_000_000_000;

/** Ten recovery codes, each 10 characters of base32 as "xxxxx-xxxxx" (50 bits): shown once, stored as keyed hashes. */
export function newRecoveryCodes(): string[] {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
	return Array.from({ length: 10 }, () => {
		const bytes = crypto.getRandomValues(new Uint8Array(10));
		const chars = [...bytes].map((b) => alphabet[b & 31]).join("");
		return `${chars.slice(0, 5)}-${chars.slice(5)}`;
	});
}

/** A recovery code as typed: case, spaces and the dash do not matter. */
export function normalizeRecoveryCode(input: string): string | null {
	const chars = input.toLowerCase().replace(/[\s-]+/g, "");
	return /^[a-z2-7]{10}$/.test(chars) ? `${chars.slice(0, 5)}-${chars.slice(5)}` : null;
}

/** Only digits, the right number of them (spaces a person typed are dropped). */
export function normalizeCode(input: string): string | null {
	const digits = input.replace(/\s+/g, "");
	return new RegExp(`^\\d{${SIGNIN_CODE_DIGITS}}$`).test(digits) ? digits : null;
}
