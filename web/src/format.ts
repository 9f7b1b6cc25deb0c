// Display helpers. Dates use the browser's locale and time zone: the user reads their own mail.
import type { MessageStatus } from "./api";

function validDate(value: string): Date | null {
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? null : d;
}

/** Time today, day and month this year, full date otherwise: a list column stays narrow. */
export function shortDate(iso: string, now = new Date()): string {
	const d = validDate(iso);
	if (!d) return "";
	if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
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

export type StatusTone = "held" | "retrying" | "delivered" | "failed";

/** Words for the user, not pipeline states: what matters is whether their server has it. */
export function describeStatus(status: MessageStatus): { label: string; tone: StatusTone } {
	switch (status) {
		case "delivered":
			return { label: "Delivered to your server", tone: "delivered" };
		case "deferred":
			return { label: "Held, retrying delivery", tone: "retrying" };
		case "bounced":
			return { label: "Delivery failed", tone: "failed" };
		default:
			return { label: "Held", tone: "held" };
	}
}
