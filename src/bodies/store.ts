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
