import type { MiddlewareHandler } from "hono";
import { problem } from "../problem";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated state changes, in depth:
 * 1. Fetch metadata: a browser says when a request is cross-site (Sec-Fetch-Site).
 * 2. Origin must match ours when a browser sends it.
 * 3. Bodies must be JSON: an HTML form cannot send application/json without CORS preflight.
 */
export function csrf(): MiddlewareHandler {
	return async function csrf(c, next) {
		if (SAFE.has(c.req.method)) return next();
		const site = c.req.header("Sec-Fetch-Site");
		if (site && site !== "same-origin" && site !== "none") {
			throw problem(403, "Cross-site request refused", "State-changing requests must come from this site.");
		}
		const origin = c.req.header("Origin");
		if (origin && origin !== new URL(c.req.url).origin) {
			throw problem(403, "Cross-site request refused", `Origin ${origin} may not change state here.`);
		}
		const length = c.req.header("Content-Length");
		const hasBody = (length !== undefined && length !== "0") || c.req.header("Transfer-Encoding") !== undefined;
		const type = c.req.header("Content-Type") ?? "";
		// File uploads carry their own type; X-Filename is a header no HTML form can send, so
		// such a request can only come from script on our own origin (or a CORS preflight).
		const upload = c.req.path.endsWith("/uploads") && c.req.header("X-Filename") !== undefined;
		if (hasBody && !upload && !/^application\/json\s*(;|$)/i.test(type)) {
			throw problem(415, "Unsupported media type", "Send a JSON body with Content-Type: application/json.");
		}
		return next();
	};
}
