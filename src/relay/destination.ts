// Which delivery targets an admin may configure. The worker connects wherever a domain's
// settings point, so in production a target on loopback, a private network or a cloud
// metadata address would turn our relay into a probe of networks that are not the
// customer's (SSRF). Pure: no DNS. A public name that resolves to a private address is
// not caught here; the platform's own egress rules are the layer behind this one.

/** Environments where the customer's "server" is a sink on this machine. */
const LOCAL_ENVIRONMENTS = new Set(["local", "test"]);

/** Names that only mean something inside a network or a cloud VM, never on the internet. */
const INTERNAL_NAMES = new Set(["localhost", "metadata", "metadata.goog", "metadata.google.internal", "instance-data"]);
const INTERNAL_SUFFIXES = [".localhost", ".local", ".localdomain", ".internal", ".home.arpa", ".intranet", ".lan"];

/** IPv4 ranges that are not a customer's internet-facing mail server. [first octets, prefix, why] */
const IPV4_REFUSED: [number[], number, string][] = [
	[[0], 8, "an unspecified ('this network') address"],
	[[10], 8, "a private address (10.0.0.0/8)"],
	[[100, 64], 10, "a carrier-grade NAT address (100.64.0.0/10)"],
	[[127], 8, "a loopback address"],
	[[169, 254], 16, "a link-local address (169.254.0.0/16, home of cloud metadata services)"],
	[[172, 16], 12, "a private address (172.16.0.0/12)"],
	[[192, 0, 0], 24, "an IETF protocol address (192.0.0.0/24)"],
	[[192, 168], 16, "a private address (192.168.0.0/16)"],
	[[198, 18], 15, "a benchmarking address (198.18.0.0/15)"],
	[[224], 4, "a multicast address"],
	[[240], 4, "a reserved address"],
];

function ipv4Refusal(octets: number[]): string | null {
	const value = octets.reduce((acc, o) => acc * 256 + o, 0);
	for (const [start, prefix, why] of IPV4_REFUSED) {
		const base = [...start, 0, 0, 0, 0].slice(0, 4).reduce((acc, o) => acc * 256 + o, 0);
		const size = 2 ** (32 - prefix);
		if (value >= base && value < base + size) return why;
	}
	return null;
}

/** The 8 groups of a canonical (URL-serialised) IPv6 address. */
function ipv6Groups(text: string): number[] | null {
	const halves = text.split("::");
	if (halves.length > 2) return null;
	const parse = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
	const head = parse(halves[0] ?? "");
	const tail = halves.length === 2 ? parse(halves[1] ?? "") : [];
	const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
	const groups = [...head, ...Array<number>(Math.max(fill, 0)).fill(0), ...tail];
	return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function ipv6Refusal(g: number[]): string | null {
	const [a = 0, b = 0, c = 0, , , f = 0, gg = 0, h = 0] = g;
	const embedded = [gg >> 8, gg & 0xff, h >> 8, h & 0xff];
	if (g.every((x) => x === 0)) return "an unspecified address (::)";
	if (g.slice(0, 7).every((x) => x === 0) && h === 1) return "a loopback address (::1)";
	if ((a & 0xfe00) === 0xfc00) return "a unique local (private) address (fc00::/7)";
	if ((a & 0xffc0) === 0xfe80) return "a link-local address (fe80::/10)";
	if ((a & 0xffc0) === 0xfec0) return "a site-local address (fec0::/10)";
	if ((a & 0xff00) === 0xff00) return "a multicast address";
	// IPv4 inside IPv6 (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::/96) reaches that IPv4 address.
	const v4inside =
		(g.slice(0, 5).every((x) => x === 0) && (f === 0xffff || f === 0)) ||
		(a === 0x64 && b === 0xff9b && g.slice(2, 6).every((x) => x === 0));
	if (v4inside) {
		const why = ipv4Refusal(embedded);
		if (why) return `${why} inside an IPv6 address`;
	}
	// 6to4 (2002:AABB:CCDD::/48) embeds an IPv4 address in its second and third groups.
	if (a === 0x2002) {
		const why = ipv4Refusal([b >> 8, b & 0xff, c >> 8, c & 0xff]);
		if (why) return `${why} inside a 6to4 address`;
	}
	return null;
}

/**
 * Null when the worker may deliver to `dest` in `environment`, else why not, in words an
 * admin can act on. Ports must be 1–65535 everywhere; in production, port 25 and any
 * loopback, private, link-local, metadata or otherwise non-public target is refused.
 */
export function checkDestination(dest: { host: string; port: number }, environment: string): string | null {
	if (!Number.isInteger(dest.port) || dest.port < 1 || dest.port > 65535) return `port ${dest.port} is not a valid TCP port (1–65535)`;
	const host = dest.host.trim();
	let hostname: string;
	try {
		if (host === "" || host.length > 255 || /[\s/\\?#@%]/.test(host)) throw new Error("bad host");
		// The URL parser canonicalises names (lower case, punycode) and every IPv4 spelling
		// ("127.1", "0x7f000001", "2130706433" are all 127.0.0.1 to a resolver).
		hostname = new URL(`http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}`).hostname;
	} catch {
		return `${JSON.stringify(dest.host)} is not a valid host name or IP address`;
	}
	if (LOCAL_ENVIRONMENTS.has(environment)) return null;

	if (dest.port === 25) {
		return "Cloudflare blocks outbound connections to port 25 from Workers. Have the mail server accept our deliveries on another port (for example 2525, or 587 with AUTH) and enter that port here.";
	}
	const refuse = (why: string) => `${dest.host} is ${why}; deliveries must go to a mail server reachable on the public internet`;
	if (hostname.startsWith("[")) {
		const groups = ipv6Groups(hostname.slice(1, -1));
		if (!groups) return `${JSON.stringify(dest.host)} is not a valid IPv6 address`;
		const why = ipv6Refusal(groups);
		return why ? refuse(why) : null;
	}
	const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(hostname);
	if (v4) {
		const why = ipv4Refusal(v4.slice(1).map(Number));
		return why ? refuse(why) : null;
	}
	const name = hostname.replace(/\.$/, "");
	if (INTERNAL_NAMES.has(name) || INTERNAL_SUFFIXES.some((s) => name.endsWith(s))) {
		return refuse(name === "localhost" || name.endsWith(".localhost") ? "a loopback name" : "an internal or cloud metadata name");
	}
	if (!name.includes(".")) return refuse("not a fully qualified domain name");
	return null;
}
