// How Company settings → Users says things about accounts: role names, where an account stands
// (can it sign in yet?), and what a welcome-email request did. Shared by the list and a user's page.
import { type AdminUser, ApiError, type InviteResult, type Role } from "../api";

export const ROLES: Record<Role, string> = {
	customer_admin: "Administrator",
	user: "User",
	partner_admin: "Partner administrator",
	operator: "Operator",
};

/** Whether the account can sign in yet, in a word or two; null when there is nothing to say. */
export function signInState(u: AdminUser): { text: string; tone: "pending" | "held" } | null {
	if (u.invitePending) return { text: "Welcome email sent", tone: "pending" };
	if (!u.passwordSet) return { text: "No password yet", tone: "held" };
	return null;
}

export function inviteSummary(result: InviteResult): string {
	const sent = result.queued.length;
	const parts = [
		sent === 0
			? "No welcome email was sent."
			: `Welcome email on its way to ${sent === 1 ? (result.queued[0]?.to ?? "1 user") : `${sent} users`}.`,
	];
	for (const s of result.skipped) parts.push(`Not sent to ${s.email}: ${s.reason}`);
	return parts.join(" ");
}

/** "a b; c, d" → addresses, as an admin types a list of aliases. */
export const addressList = (text: string): string[] => text.split(/[\s,;]+/).filter(Boolean);

/**
 * The input a 422 is about: the API's detail starts with the field's name ("alternateEmail … is
 * at your company's own domain"); `fields` maps names to input ids.
 */
export function fieldOf(err: unknown, fields: Record<string, string>): string | null {
	if (!(err instanceof ApiError) || err.status !== 422 || !err.detail) return null;
	return fields[/^([A-Za-z]+)/.exec(err.detail)?.[1] ?? ""] ?? null;
}
