// Wire format of the groups and recipient-discovery admin routes (src/api/admin-groups.ts,
// src/api/admin-discovery.ts), read by web/src/admin and the tests. Kept apart from types.ts so
// parallel work on the directory does not collide there.
import type { DiscoveryOutcome } from "../relay/types";

export type { DiscoveryOutcome };

/** GET /api/admin/groups: one group in the list. */
export interface GroupSummary {
	id: string;
	address: string;
	name: string;
	/** Members, disabled ones included (they are skipped when mail arrives). */
	memberCount: number;
}

export interface GroupPage {
	groups: GroupSummary[];
	/** The last address of this page; null on the last page. */
	nextCursor: string | null;
}

export interface GroupMemberView {
	id: string;
	email: string;
	displayName: string;
	disabled: boolean;
}

/** GET/POST/PATCH /api/admin/groups/:id */
export interface GroupDetail {
	id: string;
	address: string;
	name: string;
	members: GroupMemberView[];
}

/** POST /api/admin/groups */
export interface GroupCreate {
	address: string;
	name?: string;
	/** User ids of the company's users. */
	members: string[];
}

/** PATCH /api/admin/groups/:id: `members` replaces the whole list. */
export interface GroupPatch {
	name?: string;
	members?: string[];
}

/** What already answers to a discovered address here. */
export type AddressOwner = "user" | "alias" | "group";

/** GET /api/admin/domains/:id/discovery: the latest answer of the domain's server for one address. */
export interface DiscoveredRecipient {
	address: string;
	outcome: DiscoveryOutcome;
	/** The reply code to RCPT TO (250, 550, 451, …). */
	code: number | null;
	/** The reply's text, enhanced status code first when the server gave one ("5.1.1 no such user"). */
	text: string | null;
	checkedAt: string;
	/** Already a user, an alias or a group here; null: nobody here has it yet. */
	known: AddressOwner | null;
}

export interface DiscoveryPage {
	recipients: DiscoveredRecipient[];
	nextCursor: string | null;
}

/** POST /api/admin/domains/:id/discover */
export interface DiscoveryRequest {
	/** At most 500 addresses on the domain; none: the recipients of the domain's recent mail that no user has. */
	addresses?: string[];
}

export interface DiscoveryRunResult {
	/** Where the candidates came from. */
	source: "given" | "recent-mail";
	candidates: number;
	accepted: number;
	refused: number;
	unknown: number;
	/** Candidates the run did not ask about (the session ended early, or the time budget ran out). */
	notAsked: number;
	/** Why the run ended early, in the server's or our words; null when every candidate was asked. */
	stoppedBy: { code: number; text: string } | null;
	/** The session as an admin reads it: "C: RCPT TO:<…>", "S: 550 5.1.1 …". */
	transcript: string[];
	/** This run's answers. */
	recipients: DiscoveredRecipient[];
}
