// Bindings wrangler types cannot see: secrets (wrangler secret put) and optional variables.
interface Env {
	/** 32 bytes, base64: seals the customer's SMTP AUTH passwords in D1 (src/lib/secret-box.ts). */
	CREDENTIALS_KEY?: string;
	/** host:port of an SMTP smarthost for DSNs and outbound mail; unset: the SEND_EMAIL binding. */
	OUTBOUND_SMTP?: string;
}
