// What the mailbox and file routes share: the stored body, download headers, signed links.
import type { Context } from "hono";
import { type DomainRow, findDomainByName } from "../db/domains";
import type { MessageRow } from "../db/messages";
import { type LinkClaims, signLink } from "../lib/signed-links";
import type { AppEnv } from "./context";
import { problem } from "./problem";

export async function rawBody(bucket: R2Bucket, row: Pick<MessageRow, "r2Key">): Promise<R2ObjectBody> {
	const obj = row.r2Key ? await bucket.get(row.r2Key) : null;
	if (!obj)
		throw problem(
			410,
			"Message body expired",
			"This message was delivered to your server and its copy here has been removed under the retention policy.",
		);
	return obj;
}

/** RFC 6266 filename for downloads: an ASCII fallback plus the exact UTF-8 name. */
/**
 * An attachment as a download of opaque bytes, whichever route serves it: a mail-supplied
 * text/html or image/svg+xml must never render in our origin, whatever its declared type.
 */
export function attachmentDownload(part: { content: ArrayBuffer | Uint8Array | string; filename: string | null }, fallbackName: string) {
	const content = typeof part.content === "string" ? new TextEncoder().encode(part.content) : part.content;
	return new Response(content, {
		headers: {
			"Content-Type": "application/octet-stream",
			"Content-Disposition": attachmentDisposition(part.filename ?? fallbackName),
			"X-Content-Type-Options": "nosniff",
			"Cache-Control": "private, no-store",
		},
	});
}

export function attachmentDisposition(filename: string): string {
	const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, "_");
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Downloads must be used soon; a frame and its images live as long as a reading session. */
const LIFETIME_MS: Record<LinkClaims["kind"], number> = { attachment: 10 * 60_000, inline: 3600_000, body: 3600_000 };

export async function linkFor(c: Context<AppEnv>, claims: Omit<LinkClaims, "exp">): Promise<string> {
	const key = c.env.CREDENTIALS_KEY;
	if (!key) throw problem(503, "Links unavailable", "The CREDENTIALS_KEY secret is not configured on this deployment.");
	// Expiry rounded up to a 5-minute step: reopening a message within the step yields the very
	// same URL, so the browser reuses its frame instead of loading the body again.
	const step = 300_000;
	const exp = Math.ceil((c.var.clock.now() + LIFETIME_MS[claims.kind]) / step) * step;
	return `/api/files/${await signLink(key, { ...claims, exp })}`;
}

/**
 * The served domain of the signed-in address. Accounts whose address is not on one of their
 * own company's domains (a partner's or operator's login) have no mailbox to write from.
 */
export async function ownDomain(c: Context<AppEnv>): Promise<DomainRow> {
	const p = c.var.mailbox;
	const domain = await findDomainByName(c.var.db, p.email.split("@")[1] ?? "");
	if (!p.customerId || !domain || domain.customerId !== p.customerId) {
		throw problem(
			403,
			"No mailbox here",
			"Your account's address is not on a mail domain served here, so it has no Emergency Inbox to use.",
		);
	}
	return domain;
}
