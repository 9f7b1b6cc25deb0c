import { rfc5322Date } from "../lib/rfc5322-date";

/**
 * Our `Received:` trace line (RFC 5321 §4.4), prepended when relaying. It is built from
 * stored facts only (arrival time, our id, the recipient), so every retry sends the very
 * same bytes and a server that dedupes by content or Message-ID sees one message.
 */
export function traceHeader(relayHost: string, messageId: string, recipient: string, receivedAt: number): string {
	return `Received: by ${relayHost} (Emergency Inbox) with ESMTP id ${messageId}\r\n\tfor <${recipient}>; ${rfc5322Date(new Date(receivedAt))}\r\n`;
}
