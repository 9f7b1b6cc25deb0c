// One-time sign-in codes, mailed to a user's alternate address when neither our password nor
// the company's identity provider will do (issue #12): six digits, stored only as an HMAC keyed
// from CREDENTIALS_KEY and bound to the user, so a copy of the database cannot be searched for
// them (a plain hash of a million possible codes could be).
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

/** What is stored for a user's code (hex). */
export async function signinCodeHash(secret: string, userId: string, code: string): Promise<string> {
	const key = await derivedHmacKey(secret, "emergency-inbox sign-in codes v1");
	const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${userId}:${code}`));
	return hex(mac);
}

/** Only digits, the right number of them (spaces a person typed are dropped). */
export function normalizeCode(input: string): string | null {
	const digits = input.replace(/\s+/g, "");
	return new RegExp(`^\\d{${SIGNIN_CODE_DIGITS}}$`).test(digits) ? digits : null;
}
