// Address lists as people type them: `Ada <ada@example.com>, bob@example.com; "Doe, Jane" <jane@x.org>`.
// The check is deliberately simple (the server has the last word); it exists to point at the
// entry that is wrong before a round trip.

export interface Address {
	name: string;
	email: string;
}

/** Splits on commas and semicolons that are outside quotes and angle brackets. */
export function splitAddressList(value: string): string[] {
	const parts: string[] = [];
	let current = "";
	let quoted = false;
	let angle = false;
	for (const ch of value) {
		if (ch === '"' && !angle) quoted = !quoted;
		else if (ch === "<" && !quoted) angle = true;
		else if (ch === ">" && !quoted) angle = false;
		if ((ch === "," || ch === ";") && !quoted && !angle) {
			parts.push(current);
			current = "";
		} else {
			current += ch;
		}
	}
	parts.push(current);
	return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** One address with a dot in its domain and none of the characters that would need quoting. */
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;

export function isValidEmail(email: string): boolean {
	return EMAIL.test(email) && !email.includes("..");
}

/** `Name <email>`, `"Name" <email>`, `<email>` or a bare `email`; null when it is none of these. */
export function parseAddress(entry: string): Address | null {
	const trimmed = entry.trim();
	const angled = /^(.*?)\s*<([^<>]*)>$/su.exec(trimmed);
	if (angled) {
		const email = (angled[2] ?? "").trim();
		if (!isValidEmail(email)) return null;
		return { name: unquote(angled[1] ?? ""), email };
	}
	return isValidEmail(trimmed) ? { name: "", email: trimmed } : null;
}

function unquote(name: string): string {
	const t = name.trim();
	return (t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t).replace(/\\(.)/g, "$1").trim();
}

/** The wire form the API takes: `Name <email>` or a bare address; names with specials are quoted. */
export function formatAddress(a: Address): string {
	if (!a.name) return a.email;
	const name = /[",;:<>()[\]@\\]/.test(a.name) ? `"${a.name.replace(/["\\]/g, "\\$&")}"` : a.name;
	return `${name} <${a.email}>`;
}

export interface CheckedList {
	addresses: Address[];
	/** Entries as typed that are not addresses, for the error message. */
	invalid: string[];
}

export function checkAddressList(value: string): CheckedList {
	const addresses: Address[] = [];
	const invalid: string[] = [];
	for (const entry of splitAddressList(value)) {
		const a = parseAddress(entry);
		if (a) addresses.push(a);
		else invalid.push(entry);
	}
	return { addresses, invalid };
}

export const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Parses a header value leniently: entries that do not parse are dropped, duplicates removed. */
export function addressesOf(header: string | null | undefined): Address[] {
	const out: Address[] = [];
	for (const a of checkAddressList(header ?? "").addresses) if (!out.some((b) => sameEmail(a.email, b.email))) out.push(a);
	return out;
}

export const formatAddressList = (list: Address[]) => list.map(formatAddress).join(", ");
