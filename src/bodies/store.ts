// Message bodies in R2: the raw bytes of every message, exactly as received or composed. (The
// spool, what is waiting for delivery, is the domain object's table: src/domain/spool-sql.ts.)
import { messageKey } from "./keys";

/**
 * Writes the raw message to R2. R2 verifies the SHA-256 we send, so a corrupted upload
 * fails here instead of being acknowledged. Errors propagate: the caller must not accept.
 */
export async function putRaw(bucket: R2Bucket, customerId: string, messageId: string, raw: Uint8Array, sha256: string): Promise<string> {
	const key = messageKey(customerId, messageId);
	await bucket.put(key, raw, {
		sha256,
		httpMetadata: { contentType: "message/rfc822" },
		customMetadata: { messageId },
	});
	return key;
}

/**
 * The raw message at `key` with `prefix` (a trace header) in front, streamed into one buffer
 * of exactly that size: the body is held once, not as arrayBuffer() and again as a copy.
 * Null when there is no such object; a short or long read throws.
 */
export async function readRawAfter(bucket: R2Bucket, key: string, prefix: Uint8Array): Promise<Uint8Array | null> {
	const obj = await bucket.get(key);
	if (!obj) return null;
	const out = new Uint8Array(prefix.byteLength + obj.size);
	out.set(prefix, 0);
	let n = prefix.byteLength;
	const reader = obj.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		if (n + value.byteLength > out.byteLength) {
			await reader.cancel();
			throw new Error(`${key} is longer than its ${obj.size} bytes`);
		}
		out.set(value, n);
		n += value.byteLength;
	}
	if (n !== out.byteLength) throw new Error(`${key}: read ${n - prefix.byteLength} of its ${obj.size} bytes`);
	return out;
}
