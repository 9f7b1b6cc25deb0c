// The admin API's wire format, written down from what src/api/admin.ts returns (it has no
// shared types there yet). Keep in step with that file: the e2e test exercises every call.

import type { Role } from "../../../src/api/types";

export type TlsMode = "required" | "opportunistic" | "off";

/** As GET /api/admin/domains reports it: "held" is the maintenance hold, whatever the server's state. */
export type HealthState = "up" | "down" | "held" | "draining";

export interface DomainHealth {
	state: HealthState;
	/** When the current state began (ISO). */
	since: string;
	lastError: string | null;
	lastProbeAt: string | null;
}

/** Message counts; `spooled` is mail held here, waiting for the customer's server. */
export interface DomainCounts {
	spooled: number;
	deferred: number;
	delivered: number;
	bounced: number;
}

/** A destination as shown: the password is never sent back, only the user it belongs to. */
export interface EndpointView {
	host: string | null;
	port: number | null;
	tls: TlsMode;
	authUser: string | null;
}

export interface DomainPolicy {
	unknownRecipients: "reject" | "accept";
	maxMessageBytes: number;
	/** Seconds between attempts; the last step repeats. */
	retrySchedule: number[];
	/** Seconds after arrival at which a delayed-delivery notice goes to the sender. */
	delayWarnings: number[];
	lifetimeSeconds: number;
	retainDeliveredSeconds: number;
	retainHeldSeconds: number;
	failuresToDown: number;
	probesToUp: number;
	drainConnections: number;
	messagesPerConnection: number;
	/** The maintenance hold; changed with POST …/hold and …/release, not with PATCH. */
	held: boolean;
}

/** Ownership, proved by a TXT record: until then the domain's mail is deferred (451 4.7.1). */
export interface DomainVerification {
	verified: boolean;
	verifiedAt: string | null;
	/** The TXT record to publish: "_emergency-inbox.<domain>" = recordValue. */
	recordName: string;
	/** null only for a domain that has no token yet (the setup checklist gives it one). */
	recordValue: string | null;
}

export interface DomainSettings {
	verification: DomainVerification;
	delivery: EndpointView;
	/** null: Cloudflare Email Service sends mail written in the Emergency Inbox. */
	outbound: EndpointView | null;
	policy: DomainPolicy;
}

export interface AdminDomain extends DomainSettings {
	id: string;
	/** ASCII (punycode) form. */
	name: string;
	/** Unicode form, for people. */
	displayName: string;
	health: DomainHealth;
	counts: DomainCounts;
}

/** `auth` omitted keeps the stored credentials; null removes them. */
export interface EndpointPatch {
	host: string;
	port: number;
	tls: TlsMode;
	auth?: { user: string; pass: string } | null;
}

export type PolicyPatch = Partial<Omit<DomainPolicy, "held">>;

export interface DomainPatch {
	delivery?: EndpointPatch;
	outbound?: EndpointPatch | null;
	policy?: PolicyPatch;
}

/** PATCH /api/admin/domains/:id answers with the settings only (no health, no counts). */
export interface DomainPatchResult extends DomainSettings {
	id: string;
	name: string;
}

export type OutcomeKind = "delivered" | "tempfail" | "permfail";

/** POST …/test: one SMTP session to the saved destination, no message sent. */
export interface ConnectionTest {
	ok: boolean;
	outcome: { kind: OutcomeKind; code: number; enhanced: string | null; text: string };
	/** "S: 220 …", "C: EHLO …", "* connecting to …": the session as the relay saw it. */
	transcript: string[];
}

/** POST …/hold, …/release, …/retry. `health` is the server's state alone, without the hold. */
export interface DomainActionResult {
	id: string;
	held: boolean;
	health: "up" | "down";
	/** Retry only: how the probe went. */
	outcome?: OutcomeKind;
	text?: string;
}

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

export interface EventPage {
	events: AdminEvent[];
	nextCursor: string | null;
}

export interface EventQuery {
	kind?: string;
	cursor?: string | null;
	limit?: number;
}
