// The D1 schema. drizzle-kit turns this file into migrations/ (never edit an applied one).
// Times are Unix milliseconds; ids are ULIDs (time-ordered, so `ORDER BY id` is arrival order).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { DiscoveryOutcome, TlsMode } from "../relay/types";

const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch('subsec') * 1000)`);

export const partners = sqliteTable("partners", {
	id: text("id").primaryKey(),
	name: text("name").notNull(),
	createdAt: createdAt(),
});

export const customers = sqliteTable(
	"customers",
	{
		id: text("id").primaryKey(),
		partnerId: text("partner_id").references(() => partners.id),
		name: text("name").notNull(),
		/** Outage notices go to every user's alternate address too, not only to the admins'. */
		notifyUsers: integer("notify_users", { mode: "boolean" }).notNull().default(false),
		/** Users may sign in with a one-time code mailed to their alternate address (no password, no IdP). */
		signinCodes: integer("signin_codes", { mode: "boolean" }).notNull().default(true),
		/** Its administrators must sign in with a second factor (partners and operators always must). */
		requireAdminSecondFactor: integer("require_admin_second_factor", { mode: "boolean" }).notNull().default(true),
		createdAt: createdAt(),
	},
	(t) => [index("customers_partner_idx").on(t.partnerId, t.name)],
);

export type UnknownRecipientPolicy = "reject" | "accept";

export const domains = sqliteTable(
	"domains",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		/** ASCII (punycode) form, lower case: what SMTP envelopes carry. */
		name: text("name").notNull(),
		/** Unicode form for people. */
		displayName: text("display_name").notNull(),
		verifiedAt: integer("verified_at"),
		/** What the TXT record `_emergency-inbox.<domain>` must hold to prove ownership. */
		verificationToken: text("verification_token"),
		deliveryHost: text("delivery_host"),
		deliveryPort: integer("delivery_port"),
		deliveryTls: text("delivery_tls").$type<TlsMode>().notNull().default("opportunistic"),
		deliveryAuthUser: text("delivery_auth_user"),
		/** AES-GCM ciphertext, never the clear secret. */
		deliveryAuthSecret: text("delivery_auth_secret"),
		unknownRecipients: text("unknown_recipients").$type<UnknownRecipientPolicy>().notNull().default("reject"),
		maxMessageBytes: integer("max_message_bytes")
			.notNull()
			.default(25 * 1024 * 1024),
		/** JSON array of seconds between attempts; the last repeats. */
		retrySchedule: text("retry_schedule").notNull().default("[300,900,1800,3600]"),
		/** JSON array of seconds after arrival at which a delayed DSN goes out. */
		delayWarnings: text("delay_warnings").notNull().default("[14400,86400,259200]"),
		lifetimeSeconds: integer("lifetime_seconds")
			.notNull()
			.default(30 * 86400),
		/** How long a normally delivered message keeps its body (0: dropped at once). */
		retainDeliveredSeconds: integer("retain_delivered_seconds").notNull().default(0),
		/** How long mail held during an outage stays readable after it is delivered. */
		retainHeldSeconds: integer("retain_held_seconds")
			.notNull()
			.default(30 * 86400),
		/**
		 * Outbound transport for mail written in the Emergency Inbox to people outside: an SMTP
		 * smarthost of the customer's choosing; null: Cloudflare Email Service (send_email).
		 */
		smarthostHost: text("smarthost_host"),
		smarthostPort: integer("smarthost_port"),
		smarthostTls: text("smarthost_tls").$type<TlsMode>().notNull().default("required"),
		smarthostAuthUser: text("smarthost_auth_user"),
		/** AES-GCM ciphertext, never the clear secret. */
		smarthostAuthSecret: text("smarthost_auth_secret"),
		/** Maintenance hold: spool everything, deliver nothing (also pauses a drain). */
		held: integer("held", { mode: "boolean" }).notNull().default(false),
		/** Consecutive transient session failures that mark the server down (one refused connection does at once). */
		failuresToDown: integer("failures_to_down").notNull().default(3),
		/** Consecutive successful probes that mark it up again. */
		probesToUp: integer("probes_to_up").notNull().default(2),
		/** Drain bounds: parallel connections, and messages per connection. */
		drainConnections: integer("drain_connections").notNull().default(2),
		messagesPerConnection: integer("messages_per_connection").notNull().default(20),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("domains_name_uq").on(t.name), index("domains_customer_idx").on(t.customerId, t.name)],
);

/**
 * Each domain at a glance, written by its Durable Object (which alone knows its health and
 * spool): what the partner and operator pages read instead of counting messages. At most one
 * write per domain a minute while mail moves, at once when its state changes (DomainRelay.publish).
 */
export const domainSummaries = sqliteTable(
	"domain_summaries",
	{
		domainId: text("domain_id")
			.primaryKey()
			.references(() => domains.id, { onDelete: "cascade" }),
		customerId: text("customer_id").notNull(),
		health: text("health").$type<"up" | "down">().notNull(),
		healthSince: integer("health_since").notNull(),
		lastError: text("last_error"),
		/** In the spool: waiting (deferred included) and in flight. */
		waiting: integer("waiting").notNull().default(0),
		inflight: integer("inflight").notNull().default(0),
		deferred: integer("deferred").notNull().default(0),
		delivered: integer("delivered").notNull().default(0),
		bounced: integer("bounced").notNull().default(0),
		storageBytes: integer("storage_bytes").notNull().default(0),
		/** The object's clock when it wrote this; an older write never replaces a newer one. */
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [index("domain_summaries_customer_idx").on(t.customerId)],
);

export type Role = "operator" | "partner_admin" | "customer_admin" | "user";

export const users = sqliteTable(
	"users",
	{
		id: text("id").primaryKey(),
		/** Set for customer admins and users; partner admins and operators may have none. */
		customerId: text("customer_id").references(() => customers.id),
		partnerId: text("partner_id").references(() => partners.id),
		/** Canonical address: lower case, ASCII domain. Also the login name. */
		email: text("email").notNull(),
		displayName: text("display_name").notNull().default(""),
		role: text("role").$type<Role>().notNull().default("user"),
		passwordHash: text("password_hash"),
		/** Where invitations, resets and outage notices go: the company's own server may be down. */
		alternateEmail: text("alternate_email"),
		disabledAt: integer("disabled_at"),
		createdAt: createdAt(),
	},
	(t) => [
		uniqueIndex("users_email_uq").on(t.email),
		index("users_customer_idx").on(t.customerId, t.email),
		// Outage notices page through a company's people by id (src/queue/notify.ts).
		index("users_customer_id_idx").on(t.customerId, t.id),
	],
);

export const aliases = sqliteTable(
	"aliases",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		/** Canonical address, as users.email. */
		address: text("address").notNull(),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("aliases_address_uq").on(t.address), index("aliases_user_idx").on(t.userId)],
);

/** A group address: mail to it reaches each member's Emergency Inbox. */
export const groups = sqliteTable(
	"groups",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		/** Canonical address, as users.email; unique across users, aliases and groups. */
		address: text("address").notNull(),
		name: text("name").notNull().default(""),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("groups_address_uq").on(t.address), index("groups_customer_idx").on(t.customerId, t.address)],
);

export const groupMembers = sqliteTable(
	"group_members",
	{
		groupId: text("group_id")
			.notNull()
			.references(() => groups.id, { onDelete: "cascade" }),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
	},
	(t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId)],
);

/**
 * set-password: the welcome mail's link. signin-code: a code mailed to the alternate address.
 * mfa-challenge: the password (or code) was right, the second factor is still to come (5 minutes).
 * recovery-code: one of the ten codes shown when an authenticator was set up, each good once.
 */
export type UserTokenPurpose = "set-password" | "signin-code" | "mfa-challenge" | "recovery-code";

/** One-time links mailed to a user (invitation, password reset): only the SHA-256 of the token is kept. */
export const userTokens = sqliteTable(
	"user_tokens",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		purpose: text("purpose").$type<UserTokenPurpose>().notNull(),
		expiresAt: integer("expires_at").notNull(),
		usedAt: integer("used_at"),
		/** Wrong codes tried against a sign-in code: at MAX_CODE_ATTEMPTS it is spent. */
		attempts: integer("attempts").notNull().default(0),
		createdAt: createdAt(),
	},
	(t) => [index("user_tokens_user_idx").on(t.userId)],
);

/** A user's second factor: an authenticator app (TOTP, RFC 6238). Its recovery codes are user_tokens. */
export const secondFactors = sqliteTable("second_factors", {
	userId: text("user_id")
		.primaryKey()
		.references(() => users.id, { onDelete: "cascade" }),
	/** The TOTP secret (base32), sealed with CREDENTIALS_KEY for this user; null until one is confirmed. */
	totpSecret: text("totp_secret"),
	/** A secret being set up: it becomes totpSecret once a code made from it is confirmed. */
	pendingSecret: text("pending_secret"),
	enabledAt: integer("enabled_at"),
	/** The last 30-second step a code was accepted for: each code signs in once (RFC 6238 §5.2). */
	lastStep: integer("last_step").notNull().default(0),
	updatedAt: integer("updated_at").notNull(),
});

/** Recipient discovery: what the customer's server answered at RCPT TO for an address. */
export const discoveredRecipients = sqliteTable(
	"discovered_recipients",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		domainId: text("domain_id")
			.notNull()
			.references(() => domains.id, { onDelete: "cascade" }),
		/** Canonical address. */
		address: text("address").notNull(),
		outcome: text("outcome").$type<DiscoveryOutcome>().notNull(),
		code: integer("code"),
		text: text("text"),
		checkedAt: integer("checked_at").notNull(),
	},
	(t) => [
		uniqueIndex("discovered_domain_address_uq").on(t.domainId, t.address),
		index("discovered_customer_idx").on(t.customerId, t.address),
	],
);

export const sessions = sqliteTable(
	"sessions",
	{
		/** SHA-256 of the cookie token: a stolen database holds no usable session. */
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		createdAt: createdAt(),
		lastSeenAt: integer("last_seen_at").notNull(),
		expiresAt: integer("expires_at").notNull(),
		revokedAt: integer("revoked_at"),
		/** A customer admin looking at this user's Emergency Inbox (audited, with a reason). */
		viewingUserId: text("viewing_user_id").references(() => users.id, { onDelete: "cascade" }),
		viewingReason: text("viewing_reason"),
		/** False: read-only; true: the admin chose to act in the inbox (still recorded as the admin). */
		viewingCanAct: integer("viewing_can_act", { mode: "boolean" }).notNull().default(false),
		ip: text("ip"),
		userAgent: text("user_agent"),
	},
	(t) => [index("sessions_user_idx").on(t.userId)],
);

/** Fixed-window counters for login throttling, keyed by "ip:…" or "email:…". */
export const rateLimits = sqliteTable("rate_limits", {
	key: text("key").primaryKey(),
	windowStart: integer("window_start").notNull(),
	count: integer("count").notNull(),
});

/**
 * Jobs that walk existing data once, in pages, across cron runs (a migration of data, not of
 * schema): where each stands, so an interrupted run goes on from there and a finished one stops.
 */
export const backgroundJobs = sqliteTable("background_jobs", {
	name: text("name").primaryKey(),
	/** The job's keyset position, its own format; "" before the first page. */
	cursor: text("cursor").notNull().default(""),
	/** Rows handled so far. */
	done: integer("done").notNull().default(0),
	finishedAt: integer("finished_at"),
	updatedAt: integer("updated_at").notNull(),
});

export type Folder = "inbox" | "sent" | "trash";
/**
 * received: stored, not yet claimed by the domain's Durable Object.
 * queued: claimed; delivery pending. spooled: held while the server is down or on hold.
 * deferred: a delivery attempt failed transiently. delivered | bounced: final.
 */
export type MessageStatus = "received" | "queued" | "spooled" | "deferred" | "delivered" | "bounced";

export const messages = sqliteTable(
	"messages",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		domainId: text("domain_id")
			.notNull()
			.references(() => domains.id),
		/** The mailbox that shows it; null when the domain accepts unknown recipients. */
		userId: text("user_id").references(() => users.id),
		folder: text("folder").$type<Folder>().notNull().default("inbox"),
		/** in: received for this mailbox; out: written in the Emergency Inbox (the Sent copy). */
		direction: text("direction").$type<"in" | "out">().notNull().default("in"),
		envelopeFrom: text("envelope_from").notNull(),
		envelopeTo: text("envelope_to").notNull(),
		fromHeader: text("from_header").notNull().default(""),
		toHeader: text("to_header").notNull().default(""),
		ccHeader: text("cc_header").notNull().default(""),
		subject: text("subject").notNull().default(""),
		/** The start of the text body, for the list. */
		snippet: text("snippet").notNull().default(""),
		messageIdHeader: text("message_id_header"),
		/** The Date: header, when it parses. */
		sentAt: integer("sent_at"),
		receivedAt: integer("received_at").notNull(),
		size: integer("size").notNull(),
		/** SHA-256 of the raw bytes as received: with envelopeTo, the redelivery key. */
		sha256: text("sha256").notNull(),
		/** R2 key of the raw bytes; null once retention has dropped the body. */
		r2Key: text("r2_key"),
		hasAttachments: integer("has_attachments", { mode: "boolean" }).notNull().default(false),
		/** Why postal-mime could not read it; the bytes are stored regardless. */
		parseError: text("parse_error"),
		seen: integer("seen", { mode: "boolean" }).notNull().default(false),
		/** Where a trashed message came from, so Restore puts it back. */
		trashedFrom: text("trashed_from").$type<Folder>(),
		status: text("status").$type<MessageStatus>().notNull().default("received"),
		/** Set when the message was held (server down or on hold): it shows in the Emergency Inbox. */
		heldAt: integer("held_at"),
		deliveredAt: integer("delivered_at"),
		updatedAt: integer("updated_at").notNull(),
	},
	(t) => [
		// A Sent copy and the same bytes arriving for a colleague are two messages.
		uniqueIndex("messages_redelivery_uq").on(t.domainId, t.envelopeTo, t.sha256, t.direction),
		index("messages_held_mailbox_idx").on(t.userId, t.folder, t.id).where(sql`${t.heldAt} IS NOT NULL`),
		index("messages_retention_idx").on(t.deliveredAt).where(sql`${t.r2Key} IS NOT NULL`),
		index("messages_domain_status_idx").on(t.domainId, t.status),
		index("messages_status_idx").on(t.status, t.receivedAt),
		// Reports: a domain's mail over a period.
		index("messages_domain_received_idx").on(t.domainId, t.receivedAt),
	],
);

export type DeliveryState = "pending" | "delivering" | "deferred" | "delivered" | "failed";

/** Files a user uploaded for a message being composed; removed once sent or abandoned. */
export const uploads = sqliteTable(
	"uploads",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		userId: text("user_id")
			.notNull()
			.references(() => users.id, { onDelete: "cascade" }),
		r2Key: text("r2_key").notNull(),
		filename: text("filename").notNull(),
		contentType: text("content_type").notNull(),
		size: integer("size").notNull(),
		createdAt: createdAt(),
	},
	(t) => [index("uploads_user_idx").on(t.userId, t.id)],
);

/**
 * DSNs we owe or sent: one row per (message, recipient, kind, mark), inserted before sending
 * and marked sent after, so a retried job never sends the same notice twice.
 */
export const notices = sqliteTable(
	"notices",
	{
		id: text("id").primaryKey(),
		messageId: text("message_id")
			.notNull()
			.references(() => messages.id, { onDelete: "cascade" }),
		customerId: text("customer_id").notNull(),
		recipient: text("recipient").notNull(),
		/** "delayed" | "failed" */
		kind: text("kind").notNull(),
		/** The delay mark in seconds for delayed notices; 0 for failed. */
		mark: integer("mark").notNull().default(0),
		sentAt: integer("sent_at"),
		/** Why no notice went out (null sender, auto-submitted, a DSN itself), when skipped. */
		skipped: text("skipped"),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("notices_once_uq").on(t.messageId, t.recipient, t.kind, t.mark)],
);

/** One row per recipient of a message: where its delivery stands. */
export const deliveries = sqliteTable(
	"deliveries",
	{
		id: text("id").primaryKey(),
		messageId: text("message_id")
			.notNull()
			.references(() => messages.id, { onDelete: "cascade" }),
		customerId: text("customer_id")
			.notNull()
			.references(() => customers.id),
		domainId: text("domain_id")
			.notNull()
			.references(() => domains.id),
		recipient: text("recipient").notNull(),
		state: text("state").$type<DeliveryState>().notNull().default("pending"),
		attempts: integer("attempts").notNull().default(0),
		lastAttemptAt: integer("last_attempt_at"),
		lastCode: integer("last_code"),
		lastEnhancedCode: text("last_enhanced_code"),
		lastText: text("last_text"),
		deliveredAt: integer("delivered_at"),
		createdAt: createdAt(),
	},
	(t) => [uniqueIndex("deliveries_message_rcpt_uq").on(t.messageId, t.recipient)],
);

/** Append-only: the delivery log and the audit trail. */
export const events = sqliteTable(
	"events",
	{
		id: text("id").primaryKey(),
		customerId: text("customer_id"),
		partnerId: text("partner_id"),
		domainId: text("domain_id"),
		messageId: text("message_id"),
		actorUserId: text("actor_user_id"),
		kind: text("kind").notNull(),
		detail: text("detail").notNull().default("{}"),
		ip: text("ip"),
		createdAt: createdAt(),
	},
	(t) => [
		index("events_customer_idx").on(t.customerId, t.id),
		index("events_message_idx").on(t.messageId, t.id),
		index("events_kind_idx").on(t.kind, t.id),
		// Reports: one domain's health and hold transitions, without reading anyone else's.
		index("events_domain_kind_idx").on(t.domainId, t.kind, t.createdAt),
	],
);
