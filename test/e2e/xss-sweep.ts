// The XSS sweep behind test/e2e/xss.test.ts (`npm run test:xss` for every vector): each vector
// of test/fixtures/xss is planted in every part of a message a reader sees (xss-messages.ts),
// delivered to alice's held mail (xss-delivery.ts), and opened here in headless Chromium while
// a probe counts script executions, navigations and requests to anywhere but the service itself.
import type { BrowserContext, Frame, Page, Request, Response } from "playwright-core";
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import type { MessageDetail } from "../../src/api/types";
import { launchChromium } from "./browser";
import { CONTENT_TYPES } from "./xss-messages";

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
				// biome-ignore lint/suspicious/noControlCharactersInRegex: browsers ignore control characters and spaces in a URL's scheme ("java\0script:"), so the check strips them as a browser would
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
	const browser = await launchChromium();
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
