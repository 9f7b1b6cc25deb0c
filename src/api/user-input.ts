// What an administrator may type for an account, checked the same way whether it comes from the
// Add user form, an edit, or a row of a CSV file. Each check returns the clean value or a
// sentence about what is wrong (the caller names the field or the line).
import { parseMailbox } from "../mail/address";
import type { CompanyRole } from "./user-types";

export type Checked<T> = { value: T; error?: undefined } | { value?: undefined; error: string };

const MAX_NAME = 200;

const domainList = (domains: string[]) => (domains.length ? domains.join(", ") : "none yet");

/** A bare address (no display name), canonical: lower case, ASCII domain. */
function bareAddress(raw: unknown): Checked<{ canonical: string; domain: string }> {
	const text = typeof raw === "string" ? raw.trim() : "";
	if (!text) return { error: "is empty" };
	const parsed = /[<>]/.test(text) ? null : parseMailbox(text);
	if (!parsed) return { error: `"${text.slice(0, 100)}" is not an email address` };
	return { value: { canonical: parsed.address.canonical, domain: parsed.address.domain } };
}

/** An address on one of the company's own domains: a login, or an alias. */
export function companyAddress(raw: unknown, domains: string[]): Checked<string> {
	const a = bareAddress(raw);
	if (a.error !== undefined) return a;
	if (!domains.includes(a.value.domain))
		return { error: `${a.value.canonical} is not at one of your company's domains (${domainList(domains)})` };
	return { value: a.value.canonical };
}

/**
 * Where welcome mail and outage notices go. It must be outside the company's domains: when the
 * company's own server is down, mail to it would wait behind the outage it is about.
 */
export function alternateAddress(raw: unknown, domains: string[]): Checked<string | null> {
	if (raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "")) return { value: null };
	const a = bareAddress(raw);
	if (a.error !== undefined) return a;
	if (domains.includes(a.value.domain))
		return {
			error: `${a.value.canonical} is at your company's own domain; use an address elsewhere (its server may be the one that is down)`,
		};
	return { value: a.value.canonical };
}

export function displayName(raw: unknown): Checked<string> {
	if (raw === undefined || raw === null) return { value: "" };
	if (typeof raw !== "string") return { error: "must be text" };
	// Control characters would end up in mail headers and CSV exports.
	const name = raw.replace(/[\p{Cc}\p{Cf}]+/gu, " ").trim();
	if (name.length > MAX_NAME) return { error: `must be at most ${MAX_NAME} characters` };
	return { value: name };
}

/** API bodies say user or customer_admin; a CSV may also say admin or administrator. */
export function companyRole(raw: unknown, loose = false): Checked<CompanyRole> {
	const text = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
	if (text === undefined || text === null || text === "") return { value: "user" };
	if (text === "user" || text === "customer_admin") return { value: text };
	if (loose && (text === "admin" || text === "administrator")) return { value: "customer_admin" };
	return { error: loose ? "must be user or admin" : "must be user or customer_admin" };
}
