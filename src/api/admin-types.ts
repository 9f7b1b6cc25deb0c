// Wire format of the rest of the admin API (src/api/admin.ts: events, opening a user's inbox,
// message actions; src/api/admin-company.ts), read by web/src/admin and the tests. The domains'
// wire format is in domain-types.ts, the users' in user-types.ts.
import type { Role } from "../db/schema";
import type { Viewing } from "./types";

export interface AdminEvent {
	/** A ULID: newest first, and the cursor for the next page. */
	id: string;
	kind: string;
	at: string;
	domainId: string | null;
	messageId: string | null;
	actorUserId: string | null;
	/** Who acted, when the account still exists: a partner's admin acting for the company too. */
	actor: { email: string; role: Role } | null;
	/** Free-form per kind; read it defensively. */
	detail: unknown;
}

/** GET /api/admin/events */
export interface EventPage {
	events: AdminEvent[];
	nextCursor: string | null;
}

/** POST /api/admin/users/:id/view: this session now shows that user's Emergency Inbox. */
export interface ViewStarted {
	viewing: Viewing;
}

/** POST /api/admin/messages/:id/retry and …/bounce */
export interface MessageActionResult {
	id: string;
	action: "retry" | "bounce";
}

/** GET and PATCH /api/admin/company */
export interface Company {
	id: string;
	name: string;
	notifyUsers: boolean;
	/** Users may sign in with a one-time code mailed to their alternate address. */
	signinCodes: boolean;
	/** Administrators must sign in with a second factor (on by default). */
	requireAdminSecondFactor: boolean;
	/** The partner the company is managed with, if any. */
	partner: string | null;
}

/** PATCH /api/admin/company: only what is present changes. */
export interface CompanyPatch {
	name?: string;
	notifyUsers?: boolean;
	signinCodes?: boolean;
	requireAdminSecondFactor?: boolean;
}
