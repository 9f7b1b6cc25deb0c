/** Lowercase hex of the bytes. */
export const hex = (buf: ArrayBuffer): string => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(data: BufferSource | string): Promise<string> {
	const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
	return hex(await crypto.subtle.digest("SHA-256", bytes));
}

export function base64url(bytes: Uint8Array): string {
	let s = "";
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
	const s = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
	return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export function randomToken(byteLength = 32): string {
	return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** Compares without an early exit, so timing says nothing about where two secrets differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
	return diff === 0;
}

/** Standard base64, wrapped at `width` characters with CRLF (RFC 2045 §6.8: 76); 0: one line. */
export function base64Lines(bytes: Uint8Array, width = 76): string {
	let binary = "";
	for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	const b64 = btoa(binary);
	if (width === 0) return b64;
	const lines: string[] = [];
	for (let i = 0; i < b64.length; i += width) lines.push(b64.slice(i, i + width));
	return lines.join("\r\n");
}
