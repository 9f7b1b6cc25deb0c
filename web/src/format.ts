// Display helpers. Dates use the browser's locale and time zone: the user reads their own mail.
import type { Folder, MessageStatus, RecipientStatus } from "../../src/api/types";

function validDate(value: string): Date | null {
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? null : d;
}

/** Time today, day and month this year, full date otherwise: a list column stays narrow. */
export function shortDate(iso: string, now = new Date()): string {
	const d = validDate(iso);
	if (!d) return "";
	if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
	if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString(undefined, { day: "numeric", month: "short" });
	return d.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** A Date: header that did not parse is shown as the sender wrote it. */
export function longDate(value: string): string {
	const d = validDate(value);
	return d ? d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" }) : value;
}

export function humanSize(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ["KB", "MB", "GB"];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `"Ada Lovelace" <ada@example.com>` → `Ada Lovelace`; a bare address stays as it is. */
export function senderName(from: string): string {
	const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(from);
	if (!match) return from.trim();
	return match[1]?.trim() || match[2]?.trim() || from.trim();
}

export type StatusTone = "held" | "retrying" | "delivered" | "failed" | "pending";

/**
 * Words for the user, not pipeline states. In the inbox what matters is whether their own
 * server has the message yet; in Sent, whether it reached its recipients.
 */
export function describeStatus(status: MessageStatus, folder: Folder = "inbox"): { label: string; tone: StatusTone } {
	if (folder === "sent") {
		switch (status) {
			case "delivered":
				return { label: "Sent", tone: "delivered" };
			case "deferred":
				return { label: "Sending, retrying", tone: "retrying" };
			case "bounced":
				return { label: "Not delivered", tone: "failed" };
			default:
				return { label: "Sending", tone: "pending" };
		}
	}
	switch (status) {
		case "delivered":
			return { label: "Delivered to your server", tone: "delivered" };
		// Spooled or deferred, the user's server does not have it yet: to them both are "held".
		case "deferred":
		case "spooled":
			return { label: "Held", tone: "held" };
		case "bounced":
			return { label: "Delivery failed", tone: "failed" };
		default:
			return { label: "Delivering", tone: "pending" };
	}
}

export function describeRecipient(state: RecipientStatus["state"]): { label: string; tone: StatusTone } {
	switch (state) {
		case "delivered":
			return { label: "Delivered", tone: "delivered" };
		case "delivering":
			return { label: "Delivering", tone: "pending" };
		case "deferred":
			return { label: "Delayed, retrying", tone: "retrying" };
		case "failed":
			return { label: "Failed", tone: "failed" };
		default:
			return { label: "Waiting", tone: "pending" };
	}
}

/** "14:05" today, "3 Nov, 14:05" otherwise: for "unreachable since …". */
export function sinceText(iso: string, now = new Date()): string {
	const d = validDate(iso);
	if (!d) return iso;
	const time = d.toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
	if (d.toDateString() === now.toDateString()) return time;
	return d.toLocaleString(undefined, { day: "numeric", month: "short", hour: "numeric", minute: "2-digit" });
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
