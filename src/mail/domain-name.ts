// A mail domain as an admin types it ("Bücher.example", "xn--bcher-kva.example."): its ASCII
// form for envelopes and DNS, and its Unicode form for people. Stricter than toAsciiDomain,
// which also takes IP addresses and single labels: a domain we serve needs MX and TXT records.
import { toAsciiDomain } from "./address";

/** RFC 1035 §2.3.4: 63 octets a label, 253 a name (without the root dot). */
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export interface DomainName {
	/** Lower case, punycode: what SMTP envelopes and DNS queries carry. */
	ascii: string;
	/** The same in Unicode, for people. */
	display: string;
}

export function parseDomainName(input: string): DomainName | null {
	const ascii = toAsciiDomain(input);
	if (!ascii || ascii.length > 253) return null;
	const labels = ascii.split(".");
	if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
	// An all-numeric last label is an IPv4 address, not a domain.
	if (/^\d+$/.test(labels.at(-1) ?? "")) return null;
	return { ascii, display: labels.map((l) => (l.startsWith("xn--") ? (decodePunycode(l.slice(4)) ?? l) : l)).join(".") };
}

/**
 * RFC 3492 §6.2 decoding of one label's punycode (after "xn--"), or null when malformed.
 * Here because workerd's node:url is not in the worker's types, and this is all we need of it.
 */
export function decodePunycode(input: string): string | null {
	const base = 36;
	const [tMin, tMax, skew, damp] = [1, 26, 38, 700];
	const adapt = (delta: number, points: number, first: boolean) => {
		let d = first ? Math.floor(delta / damp) : delta >> 1;
		d += Math.floor(d / points);
		let k = 0;
		while (d > ((base - tMin) * tMax) >> 1) {
			d = Math.floor(d / (base - tMin));
			k += base;
		}
		return k + Math.floor(((base - tMin + 1) * d) / (d + skew));
	};
	const digit = (c: number) => (c >= 48 && c <= 57 ? c - 22 : c >= 97 && c <= 122 ? c - 97 : c >= 65 && c <= 90 ? c - 65 : base);
	const end = input.lastIndexOf("-");
	const output = end > 0 ? [...input.slice(0, end)].map((ch) => ch.codePointAt(0) as number) : [];
	let [n, i, bias] = [128, 0, 72];
	for (let pos = end > 0 ? end + 1 : 0; pos < input.length; ) {
		const oldI = i;
		for (let w = 1, k = base; ; k += base) {
			if (pos >= input.length) return null;
			const d = digit(input.charCodeAt(pos++));
			if (d >= base) return null;
			i += d * w;
			const t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias;
			if (d < t) break;
			w *= base - t;
			if (i > 0x10ffff * 64) return null;
		}
		bias = adapt(i - oldI, output.length + 1, oldI === 0);
		n += Math.floor(i / (output.length + 1));
		i %= output.length + 1;
		if (n > 0x10ffff) return null;
		output.splice(i++, 0, n);
	}
	return String.fromCodePoint(...output);
}
