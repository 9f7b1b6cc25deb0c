// Short-lived links that need no cookie: attachment downloads, inline (cid:) images and the
// HTML body frame. A sandboxed frame has an opaque origin, so its requests carry no session
// cookie; and a download link that works without the session cannot be replayed for long.
// HMAC-SHA256 with a key derived (HKDF) from CREDENTIALS_KEY, so no second secret to manage.
import { base64url, fromBase64url, timingSafeEqual } from "./bytes";

export interface LinkClaims {
	/** What the link opens. */
	kind: "attachment" | "inline" | "body";
	messageId: string;
	userId: string;
	/** Attachment index (attachment) or Content-ID (inline). */
	part?: string;
	/** Expiry, Unix ms. */
	exp: number;
}

/** An HMAC-SHA256 key derived (HKDF) from CREDENTIALS_KEY for one use, named by `info`. */
export async function derivedHmacKey(secret: string, info: string): Promise<CryptoKey> {
	const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
	const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
	return crypto.subtle.deriveKey(
		{ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(info) },
		base,
		{ name: "HMAC", hash: "SHA-256", length: 256 },
		false,
		["sign", "verify"],
	);
}

const hmacKey = (secret: string) => derivedHmacKey(secret, "emergency-inbox signed links v1");

export async function signLink(secret: string, claims: LinkClaims): Promise<string> {
	const body = base64url(new TextEncoder().encode(JSON.stringify(claims)));
	const mac = await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(body));
	return `${body}.${base64url(new Uint8Array(mac))}`;
}

/** The claims when the token is ours and unexpired, else null. */
export async function verifyLink(secret: string, token: string, now: number): Promise<LinkClaims | null> {
	const [body, mac] = token.split(".");
	if (!body || !mac || token.length > 2048) return null;
	try {
		const expected = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), new TextEncoder().encode(body)));
		if (!timingSafeEqual(expected, fromBase64url(mac))) return null;
		const claims = JSON.parse(new TextDecoder().decode(fromBase64url(body))) as LinkClaims;
		return claims.exp > now ? claims : null;
	} catch {
		return null;
	}
}
