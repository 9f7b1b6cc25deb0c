// Envelope addresses as we compare them: case-insensitive, plus-tag stripped, domain in
// its ASCII (punycode) form so `bücher.test` and `xn--bcher-kva.test` are one domain.

export interface Address {
	/** local@domain, lower case, domain in ASCII. */
	canonical: string;
	/** The same with any +tag removed: the mailbox it belongs to. */
	mailbox: string;
	local: string;
	domain: string;
}

/** RFC 5321 §4.5.3.1: 64 octets of local part, 255 of domain. */
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

export function toAsciiDomain(domain: string): string | null {
	const trimmed = domain.trim().replace(/\.$/, "");
	if (!trimmed || trimmed.length > MAX_DOMAIN || /[\s/\\?#@:[\]]/.test(trimmed)) return null;
	try {
		// The URL parser applies UTS #46 (IDNA) mapping: lower-casing and punycode.
		return new URL(`http://${trimmed}`).hostname;
	} catch {
		return null;
	}
}

export function parseAddress(raw: string): Address | null {
	const value = raw.trim().replace(/^<(.*)>$/, "$1");
	const at = value.lastIndexOf("@");
	if (at <= 0 || at === value.length - 1) return null;
	const local = value.slice(0, at).toLowerCase();
	const domain = toAsciiDomain(value.slice(at + 1));
	if (!domain || new TextEncoder().encode(local).length > MAX_LOCAL) return null;
	const plus = local.indexOf("+");
	const base = plus > 0 ? local.slice(0, plus) : local;
	return { canonical: `${local}@${domain}`, mailbox: `${base}@${domain}`, local, domain };
}

/** "Name <local@domain>" or "local@domain", as typed in a compose form; null when not an address. */
export function parseMailbox(input: string): { name: string; address: Address } | null {
	const text = input.trim();
	if (!text || text.length > 512 || /[\r\n]/.test(text)) return null;
	const angle = /^(.*)<([^<>]+)>$/.exec(text);
	const name = angle ? (angle[1] ?? "").trim().replace(/^"(.*)"$/, "$1") : "";
	const bare = angle ? (angle[2] ?? "") : text;
	if (/[\s,;<>()[\]\\"]/.test(bare)) return null;
	const address = parseAddress(bare);
	if (!address || !/^[^@]+@[^@]+\.[^@]+$/.test(address.canonical)) return null;
	return { name, address };
}
