// The XSS sweep behind test/e2e/xss.test.ts (`npm run test:xss` for every vector): each vector
// of test/fixtures/xss is planted in every part of a message a reader sees, delivered to alice's
// held mail through the local email endpoint, and opened in headless Chromium while a probe
// counts script executions, navigations and requests to anywhere but the service itself.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type BrowserContext, chromium, type Frame, type Page, type Request, type Response } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import type { MessageDetail, MessagePage } from "../../src/api/types";

const FIXTURES = join(import.meta.dirname, "../fixtures/xss");
const read = (path: string) => readFileSync(join(FIXTURES, path), "utf8");

export interface Vector {
	/** Where it comes from: `dompurify#12` (index in expect.json), `h5sc#7` (item id), `payloadbox:431` (line). */
	id: string;
	payload: string;
}

export type Placement = "html" | "text" | "subject" | "name" | "filename" | "ctype" | "content";
export const PLACEMENTS: Placement[] = ["html", "text", "subject", "name", "filename", "ctype", "content"];

/** One vector in one place of one message. */
export interface Planted {
	vector: Vector;
	placement: Placement;
}

/**
 * Every `stride`th vector of each source: the CI sample, ~120 vectors that still cover each
 * source's range of tricks. Stride 1 is the whole set.
 */
export function loadVectors(full: boolean): Vector[] {
	const stride = full ? { dompurify: 1, h5sc: 1, payloadbox: 1 } : { dompurify: 8, h5sc: 5, payloadbox: 110 };
	const dompurify = (JSON.parse(read("dompurify/expect.json")) as { payload: string }[])
		.map((c, i) => ({ id: `dompurify#${i}`, payload: c.payload }))
		.filter((_, i) => i % stride.dompurify === 0);
	const h5sc = (JSON.parse(read("h5sc/items.json")) as { items: { id: number; data: string }[] }).items
		.map((item) => ({ id: `h5sc#${item.id}`, payload: item.data }))
		.filter((_, i) => i % stride.h5sc === 0);
	const payloadbox = read("payloadbox/xss-payload-list.txt")
		.split(/\r?\n/)
		.map((line, i) => ({ id: `payloadbox:${i + 1}`, payload: line }))
		.filter((v, i) => i % stride.payloadbox === 0 && v.payload.trim() !== "");
	return [...dompurify, ...h5sc, ...payloadbox];
}

/** H5SC's own test page (all its vectors in one document), as one more HTML body. */
export const h5scPage = (): Vector => ({ id: "h5sc/vectors.txt", payload: read("h5sc/vectors.txt") });

/** Vectors per HTML body: few enough that one that swallows the rest of a body hides little. */
const HTML_BATCH = 20;
const TEXT_BATCH = 40;

/**
 * The messages to send: bodies carry a batch of vectors each; every vector also gets a message
 * of its own as subject, display name, attachment file name, attachment content and Content-Type.
 */
export function plan(vectors: Vector[], pages: Vector[] = []): Planted[][] {
	const batches = (placement: Placement, size: number) =>
		Array.from({ length: Math.ceil(vectors.length / size) }, (_, i) =>
			vectors.slice(i * size, (i + 1) * size).map((vector) => ({ vector, placement })),
		);
	return [
		...batches("html", HTML_BATCH),
		...pages.map((vector) => [{ vector, placement: "html" as const }]),
		...batches("text", TEXT_BATCH),
		...vectors.map((vector) => (["subject", "name", "filename", "content", "ctype"] as const).map((placement) => ({ vector, placement }))),
	];
}

// --- building the raw messages -----------------------------------------------------------

const CRLF = "\r\n";
const base64Lines = (text: string) =>
	(
		Buffer.from(text, "utf8")
			.toString("base64")
			.match(/.{1,76}/g) ?? [""]
	).join(CRLF);

/** RFC 2047 B-words of at most 45 bytes each (75 characters encoded), split between code points. */
function encodedWords(text: string): string[] {
	const words: string[] = [];
	let chunk = "";
	for (const ch of text) {
		if (Buffer.byteLength(chunk + ch) > 45) {
			words.push(chunk);
			chunk = "";
		}
		chunk += ch;
	}
	words.push(chunk);
	return words.map((w) => `=?UTF-8?B?${Buffer.from(w, "utf8").toString("base64")}?=`);
}

/** Printable ASCII that a header can carry as it is. */
const plainAscii = (text: string) => /^[\x20-\x7e]{1,900}$/.test(text) && !text.includes("=?");

/** RFC 2231 filename*, in continuations of at most 60 characters (never splitting a %XX). */
function rfc2231(name: string, value: string): string {
	const encoded = encodeURIComponent(value).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	const pieces = encoded.match(/%[0-9A-F]{2}|[^%]/g) ?? [];
	const segments: string[] = [""];
	for (const piece of pieces) {
		if ((segments.at(-1) as string).length + piece.length > 60) segments.push("");
		segments[segments.length - 1] += piece;
	}
	if (segments.length === 1) return `${name}*=UTF-8''${segments[0]}`;
	return segments.map((s, i) => `${name}*${i}*=${i === 0 ? "UTF-8''" : ""}${s}`).join(`;${CRLF} `);
}

const CONTENT_TYPES = ["text/html", "image/svg+xml", "application/xhtml+xml"];

/**
 * Closes what a vector may leave open (comments, quotes, raw-text elements) so the next vector
 * in the same body is parsed as markup again: H5SC's breaker plus end tags.
 */
const BREAKER = `//["'\`-->]]>]</textarea></title></style></script></xmp></noscript></noembed></noframes></iframe></template></select></option></svg></math></form>`;

const tagOf = (run: string, seq: number) => `[xss:${run}:${seq}]`;

/** A message carrying `planted`; parts without a vector get harmless stand-ins. */
export function buildMessage(run: string, seq: number, planted: Planted[]): string {
	const tag = tagOf(run, seq);
	const one = (p: Placement) => planted.find((x) => x.placement === p)?.vector.payload;
	const html = planted.filter((p) => p.placement === "html");
	const text = planted.filter((p) => p.placement === "text");
	const boundary = `sweep-${run}-${seq}`;

	const subject = one("subject");
	const name = one("name");
	let from = `"Sweep" <mallory@example.org>`;
	if (name !== undefined) {
		from =
			seq % 2 === 1 && plainAscii(name)
				? `"${name.replace(/[\\"]/g, "\\$&")}" <mallory@example.org>`
				: `${encodedWords(name).join(`${CRLF} `)} <mallory@example.org>`;
	}
	const head = [
		`From: ${from}`,
		"To: alice@acme.test",
		`Subject: ${subject === undefined ? `${tag} ${html.length ? "html" : text.length ? "text" : "headers"}` : plainAscii(subject) ? subject : encodedWords(subject).join(`${CRLF} `)}`,
		"Date: Fri, 27 Nov 2026 11:00:00 +0000",
		`Message-ID: <xss-${run}-${seq}@sweep.test>`,
		"MIME-Version: 1.0",
	];

	const body = html.length
		? {
				type: "text/html; charset=utf-8",
				content: `<div>${tag}</div><img src="cid:probe-${seq}@sweep.test" alt="">${html.map((p, i) => `<div id="v${i}">${p.vector.payload}${BREAKER}</div>`).join("\n")}`,
			}
		: {
				type: "text/plain; charset=utf-8",
				content: [
					`${tag} ${text.length ? "text" : "headers"}`,
					// Each vector bare, and glued to links so the plain-text linkifier gets to cut it.
					...text.flatMap((p) => [p.vector.payload, `see https://example.test/${p.vector.payload} or mailto:${p.vector.payload}`, ""]),
				].join(CRLF),
			};

	const parts: string[][] = [];
	if (html.length) {
		// A cid: image whose bytes are a scripted SVG: it must download, never render as a document.
		parts.push([
			`Content-Type: image/svg+xml; name="probe.svg"`,
			`Content-ID: <probe-${seq}@sweep.test>`,
			`Content-Disposition: inline; filename="probe.svg"`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert('cid-svg')"><script>alert('cid-svg')</script></svg>`),
		]);
	}
	const filename = one("filename");
	const content = one("content");
	if (filename !== undefined || content !== undefined) {
		const type = content === undefined ? "text/plain; charset=utf-8" : (CONTENT_TYPES[seq % CONTENT_TYPES.length] as string);
		const disposition =
			filename === undefined
				? `filename="content-${seq}.html"`
				: seq % 2 === 0
					? rfc2231("filename", filename)
					: `filename="${encodedWords(filename).join(" ")}"`;
		parts.push([
			`Content-Type: ${type}${filename !== undefined && seq % 2 === 1 ? `; name="${encodedWords(filename).join(" ")}"` : ""}`,
			`Content-Disposition: attachment; ${disposition}`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines(content ?? "attachment"),
		]);
	}
	const ctype = one("ctype");
	if (ctype !== undefined) {
		parts.push([
			`Content-Type: ${ctype.replace(/[\r\n]+/g, " ")}`,
			`Content-Disposition: attachment; filename="type-${seq}.bin"`,
			"Content-Transfer-Encoding: base64",
			"",
			base64Lines("attachment"),
		]);
	}

	const bodyPart = [`Content-Type: ${body.type}`, "Content-Transfer-Encoding: base64", "", base64Lines(body.content)];
	if (parts.length === 0) return [...head, ...bodyPart, ""].join(CRLF);
	return [
		...head,
		`Content-Type: multipart/mixed; boundary="${boundary}"`,
		"",
		...[bodyPart, ...parts].flatMap((p) => [`--${boundary}`, ...p]),
		`--${boundary}--`,
		"",
	].join(CRLF);
}

// --- delivery ----------------------------------------------------------------------------

export interface Delivered {
	seq: number;
	planted: Planted[];
}

export interface Refused {
	planted: Planted;
	reason: string;
}

/**
 * Sends every group through wrangler's local Email Routing endpoint. It refuses messages its
 * own parser cannot read; a refused group is split into one message per vector and placement,
 * so only what is really undeliverable is lost (and reported, not failed: it never reaches us).
 */
export async function deliverAll(baseUrl: string, run: string, groups: Planted[][], firstSeq = 1) {
	const queue = [...groups];
	const delivered: Delivered[] = [];
	const refused: Refused[] = [];
	let seq = firstSeq;
	let sent = 0;
	const url = `${baseUrl}/cdn-cgi/handler/email?from=mallory%40example.org&to=alice%40acme.test&format=json`;
	async function worker() {
		for (let group = queue.shift(); group; group = queue.shift()) {
			const n = seq++;
			sent++;
			const res = await fetch(url, { method: "POST", body: buildMessage(run, n, group) });
			const answer = await res.text();
			let verdict: { outcome?: string; rejectReason?: string } = {};
			try {
				verdict = JSON.parse(answer);
			} catch {}
			if (res.status === 200 && verdict.outcome === "ok" && !verdict.rejectReason) delivered.push({ seq: n, planted: group });
			else if (group.length > 1) queue.push(...group.map((p) => [p]));
			else
				refused.push({
					planted: group[0] as Planted,
					reason: `${res.status} ${verdict.rejectReason ?? answer.replace(/\s+/g, " ").slice(0, 120)}`,
				});
		}
	}
	// A few in flight: the endpoint is a local workerd, and the sweep's time is mostly the browser's.
	await Promise.all(Array.from({ length: 4 }, worker));
	return { delivered, refused, sent, nextSeq: seq };
}

export async function signInApi(baseUrl: string): Promise<string> {
	const res = await fetch(`${baseUrl}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: "alice@acme.test", password: DEMO_PASSWORD }),
	});
	if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
	return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

/**
 * Our message id for each delivered seq, once the delivery engine has held it (acme.test is
 * down). Matched by the tag at the start of the snippet, or by Message-ID for mail whose text
 * did not parse.
 */
export async function waitForHeld(
	baseUrl: string,
	cookie: string,
	run: string,
	seqs: number[],
	timeoutMs: number,
): Promise<Map<number, string>> {
	const found = new Map<number, string>();
	const known = new Set<string>();
	const want = new Set(seqs);
	const tag = new RegExp(`\\[xss:${run}:(\\d+)\\]`);
	const deadline = Date.now() + timeoutMs;
	const get = async <T>(path: string) => {
		const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie } });
		if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
		return (await res.json()) as T;
	};
	while ([...want].some((s) => !found.has(s))) {
		if (Date.now() > deadline) throw new Error(`held ${found.size} of ${want.size} messages in ${timeoutMs} ms`);
		let cursor: string | null = null;
		do {
			const page: MessagePage = await get<MessagePage>(`/api/mailbox/messages?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
			for (const m of page.messages) {
				if (known.has(m.id)) continue;
				let seq = Number(tag.exec(m.snippet)?.[1] ?? tag.exec(m.subject)?.[1] ?? Number.NaN);
				if (Number.isNaN(seq)) {
					const detail = await get<MessageDetail>(`/api/mailbox/messages/${m.id}`);
					seq = Number(new RegExp(`^Message-ID: <xss-${run}-(\\d+)@`, "im").exec(detail.rawHeaders)?.[1] ?? Number.NaN);
				}
				known.add(m.id);
				if (want.has(seq)) found.set(seq, m.id);
			}
			cursor = page.nextCursor;
		} while (cursor);
		if ([...want].some((s) => !found.has(s))) await new Promise((r) => setTimeout(r, 500));
	}
	return found;
}

// --- the browser -------------------------------------------------------------------------

export type FindingKind = "execution" | "navigation" | "remote" | "live-dom" | "sanitizer" | "attachment";

export interface Finding {
	kind: FindingKind;
	/** The message it happened in, when it can be told. */
	seq: number | null;
	/** app (the SPA document), body-frame (the iframe in the SPA), body-page (the body URL on its own), download. */
	where: string;
	detail: string;
}

export interface SweepResult {
	findings: Finding[];
	/**
	 * Attempts a Content-Security-Policy stopped: violations reported in the app (worth a look),
	 * and requests the browser started and its CSP blocked before they left (body frames).
	 */
	cspBlocked: Finding[];
	viewed: number;
	unparsed: number;
	/** Messages whose detail the API would not give (the reader shows an error instead). */
	unreadable: { seq: number; detail: string }[];
	listRows: number;
}

/**
 * Before any page script: the dialog functions become recording spies and CSP violations are
 * reported. Init scripts run in child frames too, so a frame that could run script is caught
 * as well; the sandboxed body frame without allow-scripts runs nothing, which is the point.
 */
const PROBE = `(() => {
	const report = (kind, detail) => { try { window.__xssReport(kind, String(detail).slice(0, 300)); } catch {} };
	for (const name of ["alert", "confirm", "prompt", "print"]) {
		try {
			Object.defineProperty(window, name, { configurable: true, writable: true, value: function (...args) { report(name, args.join(" ")); return null; } });
		} catch {}
	}
	addEventListener("securitypolicyviolation", (e) => report("csp", e.effectiveDirective + " " + e.blockedURI + " " + (e.sample || "")), true);
})();`;

/** What must never be live in a document we render: handlers, script URLs, scripts, plugins, frames that could script. */
function liveDom(appScripts: boolean): string[] {
	// No inner named functions: the body is sent to the page as source text.
	const issues: string[] = [];
	for (const s of Array.from(document.querySelectorAll("script"))) {
		const src = s.getAttribute("src") ?? "";
		if (!appScripts || !src.startsWith("/assets/")) issues.push(`<script src="${src}">${(s.textContent ?? "").slice(0, 80)}`);
	}
	for (const el of Array.from(document.querySelectorAll("*"))) {
		for (const a of Array.from(el.attributes)) {
			const name = a.name.toLowerCase();
			if (name.startsWith("on")) issues.push(`<${el.localName} ${a.name}="${a.value.slice(0, 80)}">`);
			if (/^(href|src|action|formaction|data|xlink:href|poster|background|srcdoc)$/.test(name) && el.localName !== "iframe") {
				const v = a.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, "").toLowerCase();
				if (/^(javascript|vbscript|data):/.test(v) && !/^data:image\/(png|gif|jpe?g|webp)[;,]/.test(v))
					issues.push(`<${el.localName} ${a.name}="${a.value.slice(0, 80)}">`);
			}
		}
	}
	for (const el of Array.from(
		document.querySelectorAll("iframe, frame, frameset, object, embed, applet, base, meta[http-equiv], portal"),
	)) {
		const sandbox = el.getAttribute("sandbox");
		if (el.localName === "iframe" && sandbox !== null && !/allow-scripts/i.test(sandbox)) continue;
		issues.push(`<${el.localName}${sandbox === null ? "" : ` sandbox="${sandbox}"`}>`);
	}
	return issues;
}

/** Lets pending events (image errors, autofocus, animations) fire before we look. */
async function settle(page: Page, ms: number) {
	await page.waitForTimeout(ms);
}

/** The message id inside a signed /api/files/ link (its claims are plain base64url JSON). */
function linkMessageId(url: string): string | null {
	const token = /\/api\/files\/([^/?#]+)/.exec(url)?.[1];
	if (!token) return null;
	try {
		return (
			(JSON.parse(Buffer.from(token.split(".")[0] as string, "base64url").toString("utf8")) as { messageId?: string }).messageId ?? null
		);
	} catch {
		return null;
	}
}

export interface SweepOptions {
	/** Look at the list of every message first (subjects, names and snippets in rows). */
	list?: boolean;
	/** Open content attachments' links in the browser for every nth message (they must download). */
	browseAttachmentsEvery?: number;
	settleMs?: number;
	/** Readers working through the messages side by side (each a page of its own in one signed-in context). */
	lanes?: number;
	log?: (line: string) => void;
}

/** Signs alice in through the login page and opens every message; nothing is ever clicked in a message but "Show headers". */
export async function sweep(baseUrl: string, held: Map<number, string>, options: SweepOptions = {}): Promise<SweepResult> {
	const origin = new URL(baseUrl).origin;
	const settleMs = options.settleMs ?? 60;
	const log = options.log ?? (() => {});
	const seqOfId = new Map([...held].map(([seq, id]) => [id, seq]));
	const findings: Finding[] = [];
	const cspBlocked: Finding[] = [];
	let unparsed = 0;
	const unreadable: { seq: number; detail: string }[] = [];
	const browser = await chromium.launch({
		executablePath: "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
	});
	try {
		const context: BrowserContext = await browser.newContext({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
		const mine = new Set<Page>();
		const role = new Map<Page, string>();
		const current = new Map<Page, number | null>();
		const attribute = (frame: Frame | null): { where: string; seq: number | null } => {
			if (!frame) return { where: "unknown", seq: null };
			const page = frame.page();
			const id = linkMessageId(frame.url());
			const r = role.get(page) ?? "popup";
			const where = r === "app" && frame !== page.mainFrame() ? "body-frame" : r;
			return { where, seq: id ? (seqOfId.get(id) ?? null) : (current.get(page) ?? null) };
		};
		const add = (kind: FindingKind, frame: Frame | null, detail: string) => findings.push({ kind, ...attribute(frame), detail });

		await context.exposeBinding("__xssReport", ({ frame }, kind: string, detail: string) => {
			if (kind === "csp") cspBlocked.push({ kind: "execution", ...attribute(frame), detail });
			else add("execution", frame, `${kind}(${detail}) at ${frame.url().slice(0, 120)}`);
		});
		await context.addInitScript(PROBE);
		context.on("dialog", (d) => {
			add("execution", d.page()?.mainFrame() ?? null, `${d.type()} dialog: ${d.message().slice(0, 120)}`);
			void d.dismiss().catch(() => {});
		});
		let opening = 0;
		context.on("page", (p) => {
			// Our own newPage() announces itself before it resolves; anything else is a popup.
			if (opening > 0 || mine.has(p)) return;
			findings.push({ kind: "navigation", where: "popup", seq: null, detail: `a new window opened: ${p.url()}` });
			void p.close().catch(() => {});
		});
		// A request for anything but the service is judged when it ends: one the browser's CSP
		// stopped never left the browser (it is counted with the CSP-blocked attempts); any other
		// ending (answered, refused, no route) means it went out.
		const outgoing = new Map<Request, { frame: Frame | null; detail: string }>();
		context.on("request", (req) => {
			const url = req.url();
			if (url.startsWith(`${origin}/`) || /^(data|blob|about):/.test(url)) return;
			let frame: Frame | null = null;
			try {
				frame = req.frame();
			} catch {}
			outgoing.set(req, { frame, detail: `${req.method()} ${url.slice(0, 200)} (${req.resourceType()})` });
		});
		const ended = (req: Request, failure: string | null) => {
			const out = outgoing.get(req);
			if (!out) return;
			outgoing.delete(req);
			if (failure && /\bcsp\b|BLOCKED_BY_CSP/i.test(failure))
				cspBlocked.push({ kind: "remote", ...attribute(out.frame), detail: out.detail });
			else add("remote", out.frame, `${out.detail}${failure ? `: ${failure}` : ""}`);
		};
		context.on("requestfinished", (req) => ended(req, null));
		context.on("requestfailed", (req) => ended(req, req.failure()?.errorText ?? "failed"));

		// The body URLs the app was handed: the only documents its child frames may load, each frame
		// each URL once. Judged after the step that fetched the message's detail, since the frame
		// can start loading before this side has read the detail that names its URL.
		const bodyUrls = new Set<string>();
		const loaded = new WeakMap<Frame, Set<string>>();
		const frameLoads: { frame: Frame; url: string; where: { where: string; seq: number | null } }[] = [];
		const judgeFrameLoads = () => {
			for (const { frame, url, where } of frameLoads.splice(0)) {
				const seen = loaded.get(frame) ?? new Set<string>();
				loaded.set(frame, seen);
				if (bodyUrls.has(url) && !seen.has(url)) seen.add(url);
				else findings.push({ kind: "navigation", ...where, detail: `frame navigated to ${url.slice(0, 300)}` });
			}
		};
		const open = async (name: string, expected: (frame: Frame, url: string) => boolean) => {
			opening++;
			const page = await context.newPage().finally(() => opening--);
			mine.add(page);
			role.set(page, name);
			page.on("framenavigated", (frame) => {
				const url = frame.url();
				if (!expected(frame, url))
					add("navigation", frame, `${frame === page.mainFrame() ? "page" : "frame"} navigated to ${url.slice(0, 300)}`);
			});
			return page;
		};
		const appExpects = (frame: Frame, url: string) => {
			if (frame === frame.page().mainFrame()) {
				const u = new URL(url);
				return u.origin === origin && /^\/(login|message\/[0-9A-Z]{26})?$/.test(u.pathname);
			}
			frameLoads.push({ frame, url, where: attribute(frame) });
			return true;
		};
		const app = await open("app", appExpects);
		await app.goto(`${origin}/`);
		await app.waitForURL(/\/login/);
		await app.getByLabel("Email address").fill("alice@acme.test");
		await app.getByLabel("Password").fill(DEMO_PASSWORD);
		await app.getByRole("button", { name: "Sign in" }).click();
		const rows = app.locator('a[href^="/message/"]');
		await rows.first().waitFor({ timeout: 30_000 });

		let listRows = 0;
		if (options.list) {
			// Infinite scroll: bring the last row into view until no more arrive for two seconds.
			let stable = 0;
			while (stable < 10 && listRows < held.size) {
				const n = await rows.count();
				stable = n === listRows ? stable + 1 : 0;
				listRows = n;
				await rows.last().scrollIntoViewIfNeeded();
				await app.waitForTimeout(stable ? 200 : 50);
			}
			for (const issue of await app.evaluate(liveDom, true)) add("live-dom", app.mainFrame(), `message list: ${issue}`);
			log(`list: ${listRows} rows`);
		}

		const order = [...held].sort((a, b) => a[0] - b[0]);
		let viewed = 0;
		const started = Date.now();
		/** One reader: the app, a page for body URLs on their own and one for attachment links. */
		async function lane(index: number) {
			const reader = index === 0 ? app : await open("app", appExpects);
			let bodyTarget = "";
			const bodyPage = await open("body-page", (frame, url) => frame === frame.page().mainFrame() && url === bodyTarget);
			// Attachment links must download: any document they open is a finding.
			const downloads = await open("download", (_frame, url) => url === "about:blank");
			if (index > 0) await reader.goto(`${origin}/`);
			let mine = 0;
			for (let next = order.shift(); next; next = order.shift()) {
				const [seq, id] = next;
				for (const page of [reader, bodyPage, downloads]) current.set(page, seq);
				// A fresh document now and then: hours of route changes should not be one page's memory.
				if (++mine % 400 === 0) await reader.goto(`${origin}/`);
				const detail = await openMessage(reader, seq, id);
				viewed++;
				if (viewed % 250 === 0) log(`viewed ${viewed} of ${held.size} (${((Date.now() - started) / viewed).toFixed(0)} ms each)`);
				if (!detail) continue;
				if (detail.bodyUrl) {
					bodyTarget = `${origin}${detail.bodyUrl}`;
					await bodyPage.goto(bodyTarget, { waitUntil: "load" });
					await settle(bodyPage, settleMs);
					for (const issue of await bodyPage.evaluate(liveDom, false)) add("sanitizer", bodyPage.mainFrame(), issue);
				}
				await checkDownloads(seq, detail);
				const every = options.browseAttachmentsEvery ?? 0;
				const scripted = detail.attachments.find((a) => CONTENT_TYPES.includes(a.contentType));
				if (every > 0 && seq % every === 0 && scripted) {
					const download = downloads.waitForEvent("download", { timeout: 5_000 }).catch(() => null);
					await downloads.goto(`${origin}${scripted.downloadUrl}`).catch(() => {});
					await (await download)?.cancel();
				}
			}
		}

		/** Opens one message in the reader as a route change and checks the document; null when the API would not give it. */
		async function openMessage(reader: Page, seq: number, id: string): Promise<MessageDetail | null> {
			const detailOf = (r: Response) => r.request().method() === "GET" && new URL(r.url()).pathname === `/api/mailbox/messages/${id}`;
			const response = reader.waitForResponse(detailOf, { timeout: 5_000 });
			// A route change inside the SPA (its router handles same-origin link clicks), as a reader would.
			await reader.evaluate((path) => {
				const a = document.createElement("a");
				a.href = path;
				document.body.append(a);
				a.click();
				a.remove();
			}, `/message/${id}`);
			let res = await response.catch(() => null);
			if (!res) {
				// The router did not fetch (or not in time): open the route as a page instead.
				const again = reader.waitForResponse(detailOf, { timeout: 15_000 });
				await reader.goto(`${origin}/message/${id}`);
				res = await again;
			}
			if (res.status() !== 200) {
				// Not an XSS finding, but these vectors never reached the reader: say so.
				unreadable.push({ seq, detail: `GET /api/mailbox/messages/${id} answered ${res.status()}: ${(await res.text()).slice(0, 200)}` });
				return null;
			}
			const detail = (await res.json()) as MessageDetail;
			if (detail.bodyUrl) bodyUrls.add(`${origin}${detail.bodyUrl}`);
			if (detail.parseError) unparsed++;
			await reader
				.locator("h1")
				.first()
				.waitFor({ timeout: 10_000 })
				.catch(() => {});
			if (detail.bodyUrl) {
				const handle = await reader
					.locator("iframe")
					.first()
					.elementHandle({ timeout: 5_000 })
					.catch(() => null);
				await (await handle?.contentFrame())?.waitForLoadState("load", { timeout: 10_000 }).catch(() => {});
			}
			// The raw header block is one more place the vectors are shown (as text).
			await reader.evaluate(() => {
				for (const b of Array.from(document.querySelectorAll("button"))) if (/show headers/i.test(b.textContent ?? "")) b.click();
			});
			await settle(reader, settleMs);
			for (const issue of await reader.evaluate(liveDom, true)) add("live-dom", reader.mainFrame(), issue);
			judgeFrameLoads();
			return detail;
		}

		/** Attachment links must be opaque downloads whatever the mail declared. */
		async function checkDownloads(seq: number, detail: MessageDetail) {
			for (const a of detail.attachments) {
				const res = await fetch(`${origin}${a.downloadUrl}`);
				await res.body?.cancel();
				const type = res.headers.get("Content-Type") ?? "";
				const disposition = res.headers.get("Content-Disposition") ?? "";
				if (res.status !== 200 || type !== "application/octet-stream" || !disposition.startsWith("attachment"))
					findings.push({
						kind: "attachment",
						where: "download",
						seq,
						detail: `#${a.index}: ${res.status} ${type}; ${disposition.slice(0, 120)}`,
					});
			}
		}

		await Promise.all(Array.from({ length: Math.max(1, options.lanes ?? 1) }, (_, i) => lane(i)));
		// Late timers and animations get a last chance to fire before the pages go.
		await app.waitForTimeout(1_000);
		judgeFrameLoads();
		for (const out of outgoing.values()) add("remote", out.frame, `${out.detail} (still pending)`);
		return { findings, cspBlocked, viewed, unparsed, unreadable, listRows };
	} finally {
		await browser.close();
	}
}

/** `placement: tried (undeliverable)` for each placement. */
export function placementCounts(planned: Planted[][], refused: Refused[]): string {
	return PLACEMENTS.map((p) => {
		const tried = planned.flat().filter((x) => x.placement === p).length;
		const lost = refused.filter((r) => r.planted.placement === p).length;
		return `${p} ${tried}${lost ? ` (${lost} undeliverable)` : ""}`;
	}).join(", ");
}
