// Wire format of a company's domains (src/api/admin.ts: settings, health, test, hold/release/
// retry; src/api/admin-domain-setup.ts: add, verify, checklist), read by web/src/admin and the
// tests. One definition, so a change here fails the typecheck of the worker and the SPA alike.
import type { OutcomeKind, TlsMode } from "../relay/types";

export type { OutcomeKind, TlsMode };

/**
 * What people are told about a domain: held (the maintenance hold, whatever the server's
 * state), down (server unreachable or no destination), draining (back up, held mail going out), up.
 */
export type DomainState = "up" | "down" | "draining" | "held";

export interface DomainHealth {
	state: DomainState;
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

/** The domain's Durable Object storage (its spool), against the per-object limit. */
export interface DomainStorage {
	bytes: number;
	limitBytes: number;
	/** At 80 % of the limit or more: the dashboard warns. */
	nearLimit: boolean;
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

/** GET /api/admin/domains: one domain. */
export interface AdminDomain extends DomainSettings {
	id: string;
	/** ASCII (punycode) form. */
	name: string;
	/** Unicode form, for people. */
	displayName: string;
	health: DomainHealth;
	counts: DomainCounts;
	storage: DomainStorage;
}

export interface DomainList {
	domains: AdminDomain[];
}

/** `auth` omitted keeps the stored credentials; null removes them. */
export interface EndpointPatch {
	host: string;
	port: number;
	tls: TlsMode;
	auth?: { user: string; pass: string } | null;
}

export type PolicyPatch = Partial<Omit<DomainPolicy, "held">>;

/** PATCH /api/admin/domains/:id */
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

/** POST /api/admin/domains and POST …/verify answer with the domain's settings and names. */
export interface SetupDomain extends DomainSettings {
	id: string;
	name: string;
	displayName: string;
}

export type ChecklistState = "done" | "todo" | "unknown";

export interface ChecklistItem {
	id: "ownership" | "mx" | "routing" | "destination" | "connection";
	title: string;
	state: ChecklistState;
	/** What was found and what to do, in words for the admin. */
	detail: string;
	/** How to do it, step by step, where the steps are ours to give. */
	steps?: string[];
}

/** GET /api/admin/domains/:id/checklist */
export interface DomainChecklist extends SetupDomain {
	items: ChecklistItem[];
}

/** One line of a domain's delivery log: what happened to one message for one recipient. */
export interface DeliveryLogEntry {
	/** Newest first; the cursor for the next page. */
	seq: number;
	at: string;
	messageId: string;
	recipient: string;
	kind: "received" | "delivered" | "deferred" | "bounced" | "dsn.sent" | "dsn.skipped" | "dsn.refused";
	/** SMTP code, enhanced status, text and remote server of an attempt; the group of a group copy; a notice's action. */
	detail: Record<string, unknown>;
}

/** GET /api/admin/domains/:id/log */
export interface DeliveryLogPage {
	entries: DeliveryLogEntry[];
	nextCursor: string | null;
}
