// The API's wire format: what the worker sends and the SPA (web/src/api.ts) and tests read.
// One definition, so a change here fails the typecheck on both sides.
import type { Folder, MessageStatus, Role } from "../db/schema";
import type { DomainState } from "./domain-types";

export type { Folder, MessageStatus, Role };

export interface User {
	id: string;
	email: string;
	displayName: string;
	role: Role;
	/** The account's own company: null for operators (and a partner admin without one). */
	customerId: string | null;
}

/** GET /api/session: set while a customer admin views a user's Emergency Inbox (show a banner). */
export interface Viewing {
	userId: string;
	email: string;
	reason: string;
	/** False: read-only. */
	canAct: boolean;
}

/** POST /api/session: signed in (the session cookie is set). */
export interface SignedIn {
	user: User;
}

/**
 * POST /api/session when the account has a second factor: no session yet; the answer to
 * POST /api/session/second-factor (within 5 minutes, same browser) gives one.
 */
export interface SecondFactorRequired {
	secondFactor: "totp";
}

/** GET /api/account/second-factor: the signed-in account's own. */
export interface SecondFactorStatus {
	totp: { enabled: boolean; enabledAt: string | null };
	recoveryCodesLeft: number;
}

/** POST /api/account/totp: a new secret to add to an authenticator app (the URI as a QR code). */
export interface TotpSetup {
	secret: string;
	uri: string;
}

/** POST /api/account/totp/confirm: on; the ten recovery codes, shown this once. */
export interface RecoveryCodes {
	recoveryCodes: string[];
}

/** POST /api/session/code: asked for, whoever the address is; the code, if any, works this long. */
export interface CodeRequested {
	expiresInSeconds: number;
}

/** GET /api/session: who is signed in, and whose Emergency Inbox this session shows. */
export interface SessionView {
	user: User;
	viewing: Viewing | null;
	/** The role needs a second factor and none is set up: only the Security page works until it is. */
	mustEnrol: boolean;
}

export interface MessageSummary {
	id: string;
	folder: Folder;
	from: string;
	to: string;
	subject: string;
	/** The first ~160 characters of the text body, whitespace collapsed. */
	snippet: string;
	/** The Date: header as ISO, when it parsed. */
	date: string | null;
	receivedAt: string;
	size: number;
	hasAttachments: boolean;
	seen: boolean;
	status: MessageStatus;
	parseError: boolean;
}

export interface MessagePage {
	messages: MessageSummary[];
	nextCursor: string | null;
}

export interface MessageHeaders {
	from: string;
	to: string;
	cc: string;
	replyTo: string;
	subject: string;
	/** ISO when it parses, otherwise the raw header value. */
	date: string | null;
	messageId: string | null;
	inReplyTo: string | null;
	references: string | null;
}

export interface Attachment {
	index: number;
	filename: string | null;
	contentType: string;
	disposition: string | null;
	contentId: string | null;
	size: number;
	/** A short-lived link that needs no cookie; always a download (Content-Disposition: attachment). */
	downloadUrl: string;
}

/** Per-recipient delivery of a message sent from the Emergency Inbox. */
export interface RecipientStatus {
	address: string;
	state: "pending" | "delivering" | "deferred" | "delivered" | "failed";
	/** The last server reply or local reason, when there is one. */
	detail: string | null;
}

export interface MessageDetail {
	id: string;
	status: MessageStatus;
	receivedAt: string;
	size: number;
	envelope: { from: string; to: string };
	parseError: string | null;
	headers: MessageHeaders | null;
	folder: Folder;
	seen: boolean;
	text: string | null;
	/**
	 * The sanitised HTML body as its own document, for `<iframe sandbox src=…>`: it carries its
	 * own CSP (no scripts; remote images only with `?images=1`). Null for plain-text mail.
	 */
	bodyUrl: string | null;
	/** The HTML refers to remote images or styles, which stay blocked until the user allows them. */
	hasRemoteContent: boolean;
	/** The header block as received (capped at 64 KiB), for the headers view. */
	rawHeaders: string;
	attachments: Attachment[];
	/** For mail sent from the Emergency Inbox: where each recipient stands. */
	recipients: RecipientStatus[];
}

/** GET /api/mailbox/status: the banner. */
export interface MailboxStatus {
	domain: string;
	/** down: held since `since`; draining: back up, held mail being delivered; up; held: maintenance. */
	state: DomainState;
	since: string | null;
	/** Messages still waiting for the user's own server. */
	waiting: number;
	/** Unread messages in the inbox. */
	unread: number;
	limits: { maxAttachmentBytes: number; maxMessageBytes: number };
}

/** PATCH /api/mailbox/messages: bulk select actions. `folder: "inbox"` on trashed mail restores it where it was. */
export interface MessagesPatch {
	ids: string[];
	seen?: boolean;
	folder?: "trash" | "restore";
}

export interface MessagesPatchResult {
	/** How many of the messages changed. */
	updated: number;
}

/** POST /api/mailbox/uploads answers with this; send its `id` in `ComposeRequest.attachments`. */
export interface Upload {
	id: string;
	filename: string;
	contentType: string;
	size: number;
}

export interface Contact {
	email: string;
	displayName: string;
}

/** POST /api/mailbox/send. Addresses are plain `local@domain` or `Name <local@domain>`. */
export interface ComposeRequest {
	to: string[];
	cc: string[];
	bcc: string[];
	subject: string;
	text: string;
	/** Our id of the message this answers (reply, reply-all) or forwards; sets In-Reply-To/References. */
	inReplyTo?: string;
	/** Forward: attach the original's attachments too. */
	forwardOf?: string;
	attachments: string[];
}

export interface ComposeResult {
	id: string;
}

/** A domain as a partner sees it at a glance: "held" is the maintenance hold. */
export interface PartnerDomain {
	id: string;
	name: string;
	state: DomainState;
	/** Its object's storage is at 80 % of the per-object limit or more (from its summary). */
	storageNearLimit: boolean;
}

/** GET /api/partner/customers: one customer's health at a glance. */
export interface PartnerCustomer {
	id: string;
	name: string;
	domains: PartnerDomain[];
	/** Domains whose server is down, or that have nowhere to deliver yet. */
	domainsDown: number;
	/** Messages held for the customer's servers. */
	held: number;
}

export interface PartnerCustomerList {
	customers: PartnerCustomer[];
}

/** GET /api/partner/customers/:id: the same, with the partner it is managed as. */
export interface PartnerCustomerDetail extends PartnerCustomer {
	partner: { id: string; name: string };
}

/** POST /api/partner/customers */
export interface NewCustomer {
	name: string;
	domain: string;
	/** `Name <address>` or a bare address, at `domain`. */
	adminEmail: string;
	/** Outside `domain`: where the admin hears about outages of it. */
	adminAlternateEmail: string;
}

/** POST /api/partner/customers: the first admin's password is shown once, to pass on. */
export interface CreatedCustomer {
	id: string;
	domain: { id: string; name: string };
	admin: { id: string; email: string; oneTimePassword: string };
}

/** GET /api/operator/partners. */
export interface OperatorPartner {
	id: string;
	name: string;
	/** Including the partner's own company. */
	customers: number;
	domains: number;
	/** Domains whose server is down, or that have nowhere to deliver yet (held ones not counted). */
	domainsDown: number;
	/** Messages held for the customers' servers, from the domains' summaries. */
	held: number;
}

export interface OperatorPartnerList {
	partners: OperatorPartner[];
}

/** POST /api/operator/partners */
export interface NewPartner {
	name: string;
	adminEmail: string;
	adminAlternateEmail?: string;
}

/** POST /api/operator/partners: the partner's first admin, with a password shown once. */
export interface CreatedPartner {
	id: string;
	admin: { id: string; email: string; oneTimePassword: string };
}
