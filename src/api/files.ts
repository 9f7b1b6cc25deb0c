// GET /api/files/:token — cookie-less, short-lived links (src/lib/signed-links.ts): the
// HTML body of a message as its own sandboxed document, its inline cid: images, and
// attachment downloads. The token names the user; the owner check still runs.
import { Hono } from "hono";
import { getOwnedMessage } from "../db/mailbox";
import { verifyLink } from "../lib/signed-links";
import { parseEmail } from "../mail/parse";
import { bodyCsp, bodyDocument, sanitizeHtml } from "../mail/sanitize";
import type { AppEnv } from "./context";
import { attachmentDownload, linkFor, rawBody } from "./message-parts";
import { problem } from "./problem";

/** Image types a browser renders without running anything (no SVG: it is a document). */
const INLINE_IMAGES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

export const fileRoutes = new Hono<AppEnv>().get("/:token", async (c) => {
	const key = c.env.CREDENTIALS_KEY;
	const claims = key ? await verifyLink(key, c.req.param("token"), c.var.clock.now()) : null;
	if (!claims) throw problem(404, "Link expired", "This link has expired or is not valid. Open the message again for a fresh one.");
	const row = await getOwnedMessage(c.var.db, claims.userId, claims.messageId);
	if (!row) throw problem(404, "Message not found");
	const email = await parseEmail(await (await rawBody(c.env.MAIL, row)).arrayBuffer());

	if (claims.kind === "body") {
		const allowRemote = c.req.query("images") === "1";
		const cids = new Map(email.attachments.filter((a) => a.contentId).map((a) => [a.contentId?.replace(/^<|>$/g, "") ?? "", a]));
		const urls = new Map<string, string>();
		for (const cid of cids.keys()) urls.set(cid, await linkFor(c, { kind: "inline", messageId: row.id, userId: claims.userId, part: cid }));
		const { html } = await sanitizeHtml(email.html ?? "", { cidUrl: (cid) => urls.get(cid) ?? null, allowRemote });
		return c.body(bodyDocument(html), 200, {
			"Content-Type": "text/html; charset=utf-8",
			"Content-Security-Policy": bodyCsp(allowRemote),
			"X-Frame-Options": "SAMEORIGIN",
			"Cache-Control": "private, no-store",
		});
	}

	const part =
		claims.kind === "inline"
			? email.attachments.find((a) => a.contentId?.replace(/^<|>$/g, "") === claims.part)
			: email.attachments[Number(claims.part)];
	if (!part) throw problem(404, "Attachment not found");
	if (claims.kind === "inline" && INLINE_IMAGES.has(part.mimeType.toLowerCase())) {
		const content = typeof part.content === "string" ? new TextEncoder().encode(part.content) : part.content;
		return new Response(content, { headers: { "Content-Type": part.mimeType.toLowerCase(), "Cache-Control": "private, max-age=600" } });
	}
	// Everything else is a download of opaque bytes.
	return attachmentDownload(part, `attachment-${claims.part}`);
});
