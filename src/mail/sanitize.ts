// Server-side sanitising of mail HTML with an allowlist (HTMLRewriter, streaming, no DOM).
// The result is shown only inside a sandboxed frame whose own CSP forbids scripts and, until
// the user allows them, every remote load: three walls, each enough on its own for scripts.
//
// What it blocks and why (Roundcube's history is the checklist): scripts and event handlers
// (obvious), SVG and MathML (namespaces where "harmless" tags run code), <noscript>,
// <template>, <xmp>, <plaintext> and comments (parser-differential mXSS), forms and their
// controls (phishing inside trusted UI), <base>, <meta>, <link> (rebasing, refresh, remote
// CSS), frames and plugins; URLs other than http(s), mailto, cid and inline images.
import { htmlToText } from "./parse";

/** Kept, with their content. Everything else unknown is unwrapped: content kept, tag gone. */
const ALLOWED_ELEMENTS = new Set(
	(
		"a abbr address article aside b bdi bdo big blockquote br caption center cite code col colgroup dd del details dfn div dl dt em " +
		"figcaption figure font footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd li main mark nav ol p pre q rp rt ruby s samp section " +
		"small span strike strong style sub summary sup table tbody td tfoot th thead time tr tt u ul var wbr"
	).split(" "),
);

/** Removed together with everything inside them. */
const DROP_WITH_CONTENT = (
	"script noscript template iframe frame frameset object embed applet param svg math form input button select option textarea " +
	"base meta link title xmp plaintext noembed noframes audio video source track canvas portal dialog"
).split(" ");

const ALLOWED_ATTRIBUTES = new Set(
	(
		"align alt bgcolor border cellpadding cellspacing class color colspan dir face height hspace lang rowspan size span start " +
		"style summary title type valign vspace width href src datetime cite reversed abbr headers scope nowrap"
	).split(" "),
);
const URL_ATTRIBUTES = new Set(["href", "src", "cite", "background"]);
const INLINE_IMAGE = /^data:image\/(?:png|gif|jpe?g|webp);base64,[a-z0-9+/=\s]*$/i;
/** Remote loads inside CSS: url(…), @import, image-set(…). */
const CSS_REMOTE = /url\s*\(|@import|image-set\s*\(/i;
/** While remote content is blocked, CSS loses these outright: the browser never even tries. */
const CSS_LOADS = /@import[^;]*;?|(?:url|image-set)\s*\((?:[^()]|\([^()]*\))*\)/gi;
const stripCssLoads = (css: string) => css.replace(CSS_LOADS, "none");

/** What CSS means once its escapes are decoded and comments dropped: `@im\port` is `@import`. */
function cssMeaning(css: string): string {
	return css
		.replace(/\/\*[\s\S]*?\*\//g, "")
		.replace(/\\([0-9a-f]{1,6})[ \t\r\n\f]?/gi, (_, hex: string) => {
			const code = Number.parseInt(hex, 16);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
		})
		.replace(/\\([\s\S])/g, "$1");
}

/**
 * CSS with remote loads removed. When escapes or comments hide a load from the plain
 * pattern, it cannot be cut out precisely, so the whole text goes.
 */
function blockCssLoads(css: string): string {
	const stripped = stripCssLoads(css);
	return CSS_REMOTE.test(cssMeaning(stripped)) ? "" : stripped;
}

const isRemoteCss = (css: string) => CSS_REMOTE.test(cssMeaning(css));

export interface SanitizedHtml {
	html: string;
	/** The message asks for remote images or styles, which stay blocked until allowed. */
	hasRemoteContent: boolean;
}

// Browsers ignore control characters and whitespace inside a URL scheme ("java\tscript:").
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and Unicode spaces can hide "javascript:" from a scheme check.
const compact = (value: string) => value.replace(/[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u2029\u205f\u3000\ufeff]/g, "");

type UrlVerdict = { keep: string; remote: boolean } | null;

function checkUrl(name: string, value: string, cidUrl: (cid: string) => string | null): UrlVerdict {
	const v = compact(value);
	if (/^https?:\/\//i.test(v)) return { keep: value.trim(), remote: name !== "href" && name !== "cite" };
	if (name === "href" && /^mailto:/i.test(v)) return { keep: value.trim(), remote: false };
	if (name === "href" && v.startsWith("#")) return { keep: v, remote: false };
	if (name === "src" && /^cid:/i.test(v)) {
		let cid: string;
		try {
			cid = decodeURIComponent(v.slice(4));
		} catch {
			// A malformed %-escape in mail is just a broken reference, never a server error.
			return null;
		}
		const url = cidUrl(cid.replace(/^<|>$/g, ""));
		return url ? { keep: url, remote: false } : null;
	}
	if (name === "src" && INLINE_IMAGE.test(v)) return { keep: v, remote: false };
	return null;
}

export interface SanitizeOptions {
	/** Maps a Content-ID to the URL serving that part of the message, or null to drop the image. */
	cidUrl?: (cid: string) => string | null;
	/** Keep remote images and CSS (the user asked to see them). Otherwise they are removed, not just blocked. */
	allowRemote?: boolean;
}

export async function sanitizeHtml(html: string, options: SanitizeOptions = {}): Promise<SanitizedHtml> {
	try {
		return await rewrite(html, options);
	} catch {
		// lol-html refuses to parse markup whose meaning is ambiguous (a <style> inside foreign
		// content, say) rather than guess. We do not guess either: such a body is shown as its
		// text, escaped — readable, and inert by construction.
		const escaped = htmlToText(html).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
		return { html: `<pre>${escaped}</pre>`, hasRemoteContent: false };
	}
}

async function rewrite(html: string, options: SanitizeOptions): Promise<SanitizedHtml> {
	const cidUrl = options.cidUrl ?? (() => null);
	const allowRemote = options.allowRemote ?? false;
	let hasRemoteContent = false;
	let styleText = "";
	const rewriter = new HTMLRewriter()
		.onDocument({
			comments(c) {
				c.remove();
			},
			doctype() {},
		})
		.on(DROP_WITH_CONTENT.join(","), {
			element(el) {
				el.remove();
			},
		})
		.on("style", {
			text(t) {
				// Text arrives in chunks; a load split across two must not slip through, so the
				// sheet is judged whole, at its last chunk.
				styleText += t.text;
				if (!t.lastInTextNode) {
					t.remove();
					return;
				}
				const whole = styleText;
				styleText = "";
				const remote = isRemoteCss(whole);
				if (remote) hasRemoteContent = true;
				let css = remote && !allowRemote ? blockCssLoads(whole) : whole;
				// A </style> cannot appear in text; "<" would only matter to a different parser.
				css = css.replaceAll("<", "\\3C ");
				if (css !== t.text) t.replace(css, { html: false });
			},
		})
		.on("*", {
			element(el) {
				const tag = el.tagName.toLowerCase();
				if (el.removed) return;
				if (!ALLOWED_ELEMENTS.has(tag)) {
					el.removeAndKeepContent();
					return;
				}
				for (const [name = ""] of [...el.attributes]) {
					const lower = name.toLowerCase();
					const value = el.getAttribute(name) ?? "";
					if (!ALLOWED_ATTRIBUTES.has(lower)) {
						el.removeAttribute(name);
						continue;
					}
					if (lower === "style" && isRemoteCss(value)) {
						hasRemoteContent = true;
						if (!allowRemote) el.setAttribute(name, blockCssLoads(value));
					}
					if (URL_ATTRIBUTES.has(lower)) {
						const verdict = checkUrl(lower, value, cidUrl);
						if (!verdict) {
							el.removeAttribute(name);
							continue;
						}
						if (verdict.remote) {
							hasRemoteContent = true;
							if (!allowRemote) {
								el.removeAttribute(name);
								continue;
							}
						}
						el.setAttribute(name, verdict.keep);
					}
				}
				// Links open outside the frame, in a new browsing context, without a referrer.
				if (tag === "a" && el.hasAttribute("href")) {
					el.setAttribute("target", "_blank");
					el.setAttribute("rel", "noopener noreferrer nofollow");
				}
			},
		});
	const out = await rewriter.transform(new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } })).text();
	return { html: out, hasRemoteContent };
}

/** The frame's document: our charset and a readable default style, then the mail. */
export function bodyDocument(sanitized: string): string {
	return `<!doctype html><html><head><meta charset="utf-8"><meta name="color-scheme" content="light"><style>body{margin:0;padding:12px;font:15px/1.5 system-ui,sans-serif;color:#111;background:#fff;word-wrap:break-word}img{max-width:100%;height:auto}pre{white-space:pre-wrap}</style></head><body>${sanitized}</body></html>`;
}

/** The frame's CSP: no scripts ever, no remote loads unless the user allowed images. */
export function bodyCsp(allowRemote: boolean): string {
	const remote = allowRemote ? " https: http:" : "";
	return [
		"default-src 'none'",
		`img-src 'self' data:${remote}`,
		`style-src 'unsafe-inline'${remote}`,
		`font-src data:${remote}`,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'self'",
		"sandbox allow-popups allow-popups-to-escape-sandbox",
	].join("; ");
}
