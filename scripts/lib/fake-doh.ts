// A DNS-over-HTTPS resolver for this machine: the JSON API that cloudflare-dns.com serves
// (GET /dns-query?name=&type=, Accept: application/dns-json), answering from a small zone of
// our own instead of the Internet. `npm start` runs it with the zone in .state/dns.json (read
// on every query, so `npm run dns -- set …` takes effect at once); worker tests run it in
// memory and drive it over HTTP, including a resolver that fails or hangs for one name.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { dirname } from "node:path";

export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT"] as const;
export type FakeRecordType = (typeof RECORD_TYPES)[number];
const TYPE_CODES: Record<FakeRecordType, number> = { A: 1, CNAME: 5, MX: 15, TXT: 16, AAAA: 28 };

/** name (lower case, no trailing dot) → type → values. A TXT value is the text itself, unquoted. */
export type Zone = Record<string, Partial<Record<FakeRecordType, string[]>>>;

/** How the resolver misbehaves for one name: a DNS SERVFAIL, an HTTP 500, or no answer at all. */
export type FailureMode = "servfail" | "http-error" | "hang";

export interface FakeDoh {
	port: number;
	/** What DOH_URL should be: http://127.0.0.1:PORT/dns-query */
	url: string;
	/** Base URL of the control API (same server): GET/PUT/DELETE /records, PUT /failures. */
	controlUrl: string;
	set(name: string, type: FakeRecordType, values: string[]): void;
	list(): Zone;
	close(): Promise<void>;
}

export interface FakeDohOptions {
	port?: number;
	host?: string;
	/** Keep the zone in this JSON file (read on every query); default: in memory only. */
	file?: string;
	/** Records to add when the zone has none for that name and type (the demo's MX records). */
	seed?: Zone;
	log?: (line: string) => void;
}

export const canonicalName = (name: string) => name.trim().replace(/\.$/, "").toLowerCase();

export function isRecordType(type: string): type is FakeRecordType {
	return (RECORD_TYPES as readonly string[]).includes(type);
}

export function readZone(file: string): Zone {
	if (!existsSync(file)) return {};
	const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
	if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error(`${file} must hold a JSON object`);
	return parsed as Zone;
}

export function writeZone(file: string, zone: Zone): void {
	mkdirSync(dirname(file), { recursive: true });
	// Written whole and renamed into place: a query never reads half a file.
	const tmp = `${file}.${process.pid}.tmp`;
	writeFileSync(tmp, `${JSON.stringify(zone, null, "\t")}\n`);
	renameSync(tmp, file);
}

/** Sets (or, with no values, removes) one name's records of one type. */
export function setRecords(zone: Zone, name: string, type: FakeRecordType, values: string[]): Zone {
	const key = canonicalName(name);
	const entry = { ...(zone[key] ?? {}) };
	if (values.length > 0) entry[type] = values;
	else delete entry[type];
	const next = { ...zone };
	if (Object.keys(entry).length > 0) next[key] = entry;
	else delete next[key];
	return next;
}

/** TXT data the way public resolvers print it: quoted character-strings of at most 255 octets. */
function quoteTxt(text: string): string {
	const parts = text.match(/[\s\S]{1,255}/g) ?? [""];
	return parts.map((p) => `"${p.replace(/(["\\])/g, "\\$1")}"`).join(" ");
}

function answer(zone: Zone, name: string, type: FakeRecordType) {
	const entry = zone[name];
	const values = entry?.[type] ?? [];
	return {
		Status: entry ? 0 : 3,
		TC: false,
		RD: true,
		RA: true,
		AD: false,
		CD: false,
		Question: [{ name: `${name}.`, type: TYPE_CODES[type] }],
		...(values.length > 0
			? { Answer: values.map((v) => ({ name: `${name}.`, type: TYPE_CODES[type], TTL: 300, data: type === "TXT" ? quoteTxt(v) : v })) }
			: {}),
	};
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as unknown;
	if (typeof parsed !== "object" || parsed === null) throw new Error("send a JSON object");
	return parsed as Record<string, unknown>;
}

export async function startFakeDoh(options: FakeDohOptions = {}): Promise<FakeDoh> {
	const log = options.log ?? (() => {});
	let memory: Zone = {};
	const failures = new Map<string, FailureMode>();
	const load = (): Zone => (options.file ? readZone(options.file) : memory);
	const save = (zone: Zone) => {
		if (options.file) writeZone(options.file, zone);
		else memory = zone;
	};
	if (options.seed) {
		let zone = load();
		for (const [name, types] of Object.entries(options.seed))
			for (const [type, values] of Object.entries(types))
				if (isRecordType(type) && !zone[canonicalName(name)]?.[type]) zone = setRecords(zone, name, type, values ?? []);
		save(zone);
	}
	const set = (name: string, type: FakeRecordType, values: string[]) => save(setRecords(load(), name, type, values));

	const send = (res: ServerResponse, status: number, body: unknown, type = "application/json") => {
		res.writeHead(status, { "Content-Type": type });
		res.end(typeof body === "string" ? body : JSON.stringify(body));
	};

	async function handle(req: IncomingMessage, res: ServerResponse) {
		const url = new URL(req.url ?? "/", "http://localhost");
		if (url.pathname === "/dns-query" && req.method === "GET") {
			const name = canonicalName(url.searchParams.get("name") ?? "");
			const type = (url.searchParams.get("type") ?? "A").toUpperCase();
			if (!name || !isRecordType(type)) return send(res, 400, { error: "name and a type of A, AAAA, CNAME, MX or TXT are required" });
			const failure = failures.get(name);
			log(`dns ${type} ${name}${failure ? ` (${failure})` : ""}`);
			if (failure === "hang") return; // never answers; close() ends the connection
			if (failure === "http-error") return send(res, 500, "resolver exploded", "text/plain");
			if (failure === "servfail")
				return send(res, 200, { Status: 2, Question: [{ name: `${name}.`, type: TYPE_CODES[type] }] }, "application/dns-json");
			return send(res, 200, answer(load(), name, type), "application/dns-json");
		}
		if (url.pathname === "/records" && req.method === "GET") return send(res, 200, load());
		if (url.pathname === "/records" && req.method === "PUT") {
			const body = await readJson(req);
			const type = String(body.type ?? "").toUpperCase();
			const values = body.values;
			if (typeof body.name !== "string" || !isRecordType(type) || !Array.isArray(values) || !values.every((v) => typeof v === "string"))
				return send(res, 400, { error: "send {name, type, values: string[]}" });
			set(body.name, type, values as string[]);
			return send(res, 200, load()[canonicalName(body.name)] ?? {});
		}
		if (url.pathname === "/failures" && req.method === "PUT") {
			const body = await readJson(req);
			if (typeof body.name !== "string") return send(res, 400, { error: "send {name, mode}" });
			const mode = body.mode;
			if (mode === null) failures.delete(canonicalName(body.name));
			else if (mode === "servfail" || mode === "http-error" || mode === "hang") failures.set(canonicalName(body.name), mode);
			else return send(res, 400, { error: "mode must be servfail, http-error, hang or null" });
			return send(res, 200, { name: canonicalName(body.name), mode });
		}
		send(res, 404, { error: "GET /dns-query?name=&type=, GET/PUT /records, PUT /failures" });
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((err: Error) => send(res, 400, { error: err.message }));
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
	});
	const { port } = server.address() as { port: number };
	const base = `http://${options.host ?? "127.0.0.1"}:${port}`;
	return {
		port,
		url: `${base}/dns-query`,
		controlUrl: base,
		set,
		list: load,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
