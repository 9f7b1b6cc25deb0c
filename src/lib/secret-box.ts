// AES-256-GCM for secrets we must be able to use again (the customer's SMTP AUTH password):
// hashed would be useless, clear text in D1 would leak with any backup. The key is the
// CREDENTIALS_KEY secret (32 bytes, base64), never stored in D1.
import { base64url, fromBase64url } from "./bytes";

async function importKey(keyBase64: string): Promise<CryptoKey> {
	const raw = Uint8Array.from(atob(keyBase64), (c) => c.charCodeAt(0));
	if (raw.byteLength !== 32) throw new TypeError("CREDENTIALS_KEY must be 32 bytes, base64-encoded");
	return crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** `v1.<iv>.<ciphertext>`; `context` (e.g. the domain id) is bound as associated data. */
export async function seal(keyBase64: string, plaintext: string, context: string): Promise<string> {
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const data = new TextEncoder().encode(plaintext);
	const aad = new TextEncoder().encode(context);
	const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, await importKey(keyBase64), data);
	return `v1.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

export async function open(keyBase64: string, box: string, context: string): Promise<string> {
	const [version, iv, body] = box.split(".");
	if (version !== "v1" || !iv || !body) throw new TypeError("not a sealed secret");
	const aad = new TextEncoder().encode(context);
	const plain = await crypto.subtle.decrypt(
		{ name: "AES-GCM", iv: fromBase64url(iv), additionalData: aad },
		await importKey(keyBase64),
		fromBase64url(body),
	);
	return new TextDecoder().decode(plain);
}
