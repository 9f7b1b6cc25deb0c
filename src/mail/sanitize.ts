// Minimal server-side HTML clean-up for mail bodies. Mail HTML is hostile: elements that
// run code, load other documents or submit data are removed with their content, event
// handler attributes go, and only http(s), mailto, cid and inline-image URLs survive.
// The webmail renders the result inside a sandboxed iframe as a second wall.

const DROP_WITH_CONTENT = [
	"script",
	"iframe",
	"frame",
	"frameset",
	"object",
	"embed",
	"applet",
	"form",
	"base",
	"meta",
	"link",
	"noscript",
	"template",
	"svg",
	"math",
];
const URL_ATTRIBUTES = new Set([
	"href",
	"src",
	"action",
	"formaction",
	"background",
	"poster",
	"xlink:href",
	"srcset",
	"ping",
	"lowsrc",
	"dynsrc",
]);
const SAFE_URL = /^(?:https?:|mailto:|cid:|data:image\/(?:png|gif|jpe?g|webp);|#|[^:]*$)/i;

function safeUrl(value: string): boolean {
	// Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
	const compact = value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, "");
	return SAFE_URL.test(compact);
}

export async function sanitizeHtml(html: string): Promise<string> {
	const rewriter = new HTMLRewriter()
		.on(DROP_WITH_CONTENT.join(","), {
			element(el) {
				el.remove();
			},
		})
		.on("*", {
			element(el) {
				for (const [name = ""] of [...el.attributes]) {
					const lower = name.toLowerCase();
					if (lower.startsWith("on") || lower === "style" || lower === "srcdoc" || lower === "formaction") {
						el.removeAttribute(name);
					} else if (URL_ATTRIBUTES.has(lower) && !safeUrl(el.getAttribute(name) ?? "")) {
						el.removeAttribute(name);
					}
				}
			},
		});
	return rewriter.transform(new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } })).text();
}
