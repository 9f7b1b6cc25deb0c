import type { MiddlewareHandler } from "hono";

// API responses are data, never documents: a CSP that allows nothing means a response
// opened directly in a tab (a raw message, an attachment) cannot run or load anything.
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";

export function securityHeaders(): MiddlewareHandler {
	return async function securityHeaders(c, next) {
		await next();
		const h = c.res.headers;
		// A route that serves a document meant for our own frame (a message body) sets its own
		// CSP and framing; everything else gets the deny-all defaults.
		if (!h.has("Content-Security-Policy")) h.set("Content-Security-Policy", API_CSP);
		if (!h.has("X-Frame-Options")) h.set("X-Frame-Options", "DENY");
		h.set("X-Content-Type-Options", "nosniff");
		h.set("Referrer-Policy", "no-referrer");
		h.set("Cross-Origin-Opener-Policy", "same-origin");
		h.set("Cross-Origin-Resource-Policy", "same-origin");
		if (!h.has("Cache-Control")) h.set("Cache-Control", "no-store");
		if (new URL(c.req.url).protocol === "https:") h.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
	};
}
