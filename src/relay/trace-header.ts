import { rfc5322Date } from "../lib/rfc5322-date";

/**
 * Our `Received:` trace line (RFC 5321 §4.4), prepended when relaying. It is built from
 * stored facts only (arrival time, our id, the recipient), so every retry sends the very
 * same bytes and a server that dedupes by content or Message-ID sees one message.
 */
export function traceHeader(relayHost: string, messageId: string, recipient: string, receivedAt: number): string {
	return `Received: by ${relayHost} (Emergency Inbox) with ESMTP id ${messageId}\r\n\tfor <${recipient}>; ${rfc5322Date(new Date(receivedAt))}\r\n`;
}

export function withTrace(header: string, raw: Uint8Array): Uint8Array {
	const head = new TextEncoder().encode(header);
	const out = new Uint8Array(head.byteLength + raw.byteLength);
	out.set(head, 0);
	out.set(raw, head.byteLength);
	return out;
}
