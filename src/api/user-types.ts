// The wire format of Company settings → Users (src/api/admin-users.ts, src/api/users-import.ts,
// src/api/set-password.ts): what the worker sends and the SPA (web/src/api.ts) and tests read.
import type { Role } from "../db/schema";

/** The roles an administrator may give within their company. */
export type CompanyRole = Extract<Role, "user" | "customer_admin">;

export interface UserAlias {
	id: string;
	address: string;
}

/** One account as Company settings → Users shows it. */
export interface AdminUser {
	id: string;
	email: string;
	displayName: string;
	role: Role;
	disabled: boolean;
	/** Where the welcome mail and outage notices go; outside the company's own domains. */
	alternateEmail: string | null;
	aliases: UserAlias[];
	/** Names of the groups the user belongs to (addresses when a group has no name). */
	groups: string[];
	/** The account has a password: it can sign in. */
	passwordSet: boolean;
	/** A welcome link was mailed and is still unused and unexpired. */
	invitePending: boolean;
	/** An authenticator app is set up (DELETE /api/admin/users/:id/second-factor resets it). */
	secondFactor: boolean;
	createdAt: string;
}

export interface UserPage {
	users: AdminUser[];
	/** The last address of this page; null on the last page. */
	nextCursor: string | null;
}

/** POST /api/admin/users */
export interface NewUser {
	email: string;
	displayName?: string;
	role?: CompanyRole;
	alternateEmail?: string | null;
	aliases?: string[];
}

/** PATCH /api/admin/users/:id: only what is present changes. */
export interface UserPatch {
	displayName?: string;
	role?: CompanyRole;
	/** null or "" removes it. */
	alternateEmail?: string | null;
	disabled?: boolean;
}

/** POST /api/admin/users/invite */
export interface InviteResult {
	/** One welcome mail each is on its way to `to`. */
	queued: { id: string; email: string; to: string }[];
	/** Not invited, and why (no alternate address, disabled). */
	skipped: { id: string; email: string; reason: string }[];
}

/** POST /api/admin/users/import: `line` is the row's line in the file (the header is line 1). */
export interface ImportResult {
	/** Created (or, with dryRun, would be created: `id` is then ""). */
	created: { line: number; id: string; email: string }[];
	errors: { line: number; email: string; error: string }[];
	/** With `invite`: the created users a welcome mail was queued for. */
	invited?: { line: number; id: string; email: string }[];
}

/** DELETE /api/admin/users/:id */
export interface DeleteResult {
	id: string;
	email: string;
	/** Messages that stayed in the company's mail flow with no Emergency Inbox showing them. */
	detachedMessages: number;
}

/** POST /api/session/password: the password is set; the account's address, to sign in with. */
export interface PasswordSet {
	email: string;
}
