// Authenticator-app codes (TOTP, RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), through
// `otpauth`. A code is accepted for the step before and after the current one (clocks drift),
// and the step it matched is returned so the caller can refuse it a second time (§5.2).
import { Secret, TOTP } from "otpauth";

const PERIOD_S = 30;

function totp(secretBase32: string, label = "") {
	return new TOTP({
		issuer: "Emergency Inbox",
		label,
		algorithm: "SHA1",
		digits: 6,
		period: PERIOD_S,
		secret: Secret.fromBase32(secretBase32),
	});
}

/** A new 160-bit secret, base32 (what authenticator apps take). */
export function newTotpSecret(): string {
	return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app scans (as a QR code) to add the account. */
export function totpUri(secretBase32: string, account: string): string {
	return totp(secretBase32, account).toString();
}

/** The 30-second step `code` is valid for at `now` (±1 step), or null. */
export function matchTotp(secretBase32: string, code: string, now: number): number | null {
	if (!/^\d{6}$/.test(code)) return null;
	const delta = totp(secretBase32).validate({ token: code, timestamp: now, window: 1 });
	return delta === null ? null : Math.floor(now / 1000 / PERIOD_S) + delta;
}
