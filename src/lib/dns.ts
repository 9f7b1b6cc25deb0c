// DNS lookups over HTTPS (the JSON API of RFC 8484 resolvers such as cloudflare-dns.com):
// Workers have no resolver of their own. The resolver URL is the DOH_URL variable, so tests
// and `npm start` point it at a local fake (scripts/lib/fake-doh.ts) and run with no Internet.
// An answer is data (found / no such name / no records of that type); a resolver that
// cannot answer is a DnsError, which callers show as "we could not check", never as "absent".

export type RecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT";

/** RR type numbers as the JSON API reports them in Answer[].type. */
const TYPE_CODES: Record<RecordType, number> = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };

export interface Lookup {
	name: string;
	type: RecordType;
	/** nxdomain: the name does not exist; nodata: it exists, with no records of this type. */
	status: "found" | "nxdomain" | "nodata";
	/** TXT: the text with its character-strings joined; MX: "10 host.example."; others as served. */
	records: string[];
}

export type DnsErrorKind = "unreachable" | "timeout" | "resolver";

export class DnsError extends Error {
	constructor(
		readonly kind: DnsErrorKind,
		message: string,
	) {
		super(message);
		this.name = "DnsError";
	}
}

export interface ResolverOptions {
	/** e.g. https://cloudflare-dns.com/dns-query */
	url: string;
	/** A resolver that hangs must not hold an admin's request: 5 s, then DnsError("timeout"). */
	timeoutMs?: number;
}

export type Resolve = (name: string, type: RecordType) => Promise<Lookup>;

const DEFAULT_TIMEOUT_MS = 5_000;
/** DNS response codes (RFC 1035 §4.1.1, RFC 6895) worth naming in an error. */
const RCODES: Record<number, string> = { 1: "FORMERR", 2: "SERVFAIL", 4: "NOTIMP", 5: "REFUSED" };

interface DohJson {
	Status?: unknown;
	Answer?: { name?: unknown; type?: unknown; data?: unknown }[];
}

/**
 * A TXT record's data as resolvers print it: one or more quoted character-strings with
 * backslash escapes (`"v=spf1 " "-all"`), joined; Google's resolver sends it unquoted.
 */
export function txtText(data: string): string {
	const trimmed = data.trim();
	if (!trimmed.startsWith('"')) return trimmed;
	let out = "";
	for (const m of trimmed.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
		out += (m[1] ?? "").replace(/\\(\d{3}|.)/g, (_, esc: string) => (esc.length === 3 ? String.fromCharCode(Number(esc)) : esc));
	}
	return out;
}

export async function resolve(name: string, type: RecordType, options: ResolverOptions): Promise<Lookup> {
	const fqdn = name.trim().replace(/\.$/, "").toLowerCase();
	const url = new URL(options.url);
	url.searchParams.set("name", fqdn);
	url.searchParams.set("type", type);
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const where = `the DNS resolver (${url.host})`;
	let res: Response;
	try {
		res = await fetch(url, { headers: { Accept: "application/dns-json" }, signal: AbortSignal.timeout(timeoutMs) });
	} catch (err) {
		if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError"))
			throw new DnsError("timeout", `${where} did not answer within ${timeoutMs / 1000} s`);
		throw new DnsError("unreachable", `${where} could not be reached: ${err instanceof Error ? err.message : String(err)}`);
	}
	let body: DohJson;
	try {
		if (!res.ok) throw new DnsError("resolver", `${where} answered HTTP ${res.status}`);
		body = (await res.json()) as DohJson;
	} catch (err) {
		await res.body?.cancel().catch(() => {});
		if (err instanceof DnsError) throw err;
		throw new DnsError("resolver", `${where} sent an answer that is not DNS JSON`);
	}
	const status = body.Status;
	if (status === 3) return { name: fqdn, type, status: "nxdomain", records: [] };
	if (status !== 0) {
		const code = typeof status === "number" ? (RCODES[status] ?? `rcode ${status}`) : "no status";
		throw new DnsError("resolver", `${where} could not look up ${fqdn} (${code})`);
	}
	// The answer may start with the CNAME chain that led to the records asked for: keep only those.
	const records = (body.Answer ?? [])
		.filter((a) => a.type === TYPE_CODES[type] && typeof a.data === "string")
		.map((a) => (type === "TXT" ? txtText(a.data as string) : (a.data as string).trim()));
	return { name: fqdn, type, status: records.length > 0 ? "found" : "nodata", records };
}

/** The deployment's resolver: DOH_URL, or Cloudflare's public one when the variable is unset. */
export function resolverFor(env: { DOH_URL?: string }): Resolve {
	const url = env.DOH_URL || "https://cloudflare-dns.com/dns-query";
	return (name, type) => resolve(name, type, { url });
}

/** "found no such name (NXDOMAIN)" / "found no TXT records" / `found "a", "b"`: for details people read. */
export function describeLookup(lookup: Lookup): string {
	if (lookup.status === "nxdomain") return `${lookup.name} does not exist in DNS (NXDOMAIN)`;
	if (lookup.status === "nodata") return `${lookup.name} has no ${lookup.type} records`;
	return `${lookup.name} has ${lookup.type} ${lookup.records.map((r) => JSON.stringify(r)).join(", ")}`;
}
