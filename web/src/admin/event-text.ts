// The activity log in words. Each kind's detail is free-form JSON written by a different part
// of the worker, so it is read defensively and only ever rendered as text.

import type { AdminEvent } from "../../../src/api/admin-types";
import type { DeliveryLogEntry } from "../../../src/api/domain-types";
import { humanSize } from "../format";

export const EVENT_FILTERS: { label: string; prefix: string }[] = [
	{ label: "All", prefix: "" },
	{ label: "Deliveries", prefix: "delivery." },
	{ label: "Notices", prefix: "dsn." },
	{ label: "Outbound", prefix: "outbound." },
	{ label: "Domain changes", prefix: "domain." },
	{ label: "Users", prefix: "user." },
	{ label: "Aliases", prefix: "alias." },
	{ label: "Groups", prefix: "group." },
	{ label: "Recipient discovery", prefix: "discovery." },
	{ label: "Company settings", prefix: "company." },
	{ label: "Sign-ins", prefix: "auth." },
	{ label: "Dead letters", prefix: "queue." },
	{ label: "Outage alerts", prefix: "notify." },
	{ label: "Inbox access by admins", prefix: "inbox." },
	{ label: "Refused access", prefix: "access." },
];

const LABELS: Record<string, string> = {
	"delivery.delivered": "Delivered to your server",
	"delivery.tempfail": "Delivery deferred",
	"delivery.permfail": "Delivery refused",
	"dsn.sent": "Notice sent to the sender",
	"dsn.refused": "Notice refused",
	"dsn.skipped": "Notice not sent",
	"outbound.delivered": "Outbound mail delivered",
	"outbound.tempfail": "Outbound mail deferred",
	"outbound.permfail": "Outbound mail refused",
	"domain.updated": "Settings changed",
	"domain.retry": "Retry requested",
	"domain.hold": "Delivery put on hold",
	"domain.release": "Delivery released",
	"domain.down": "Server went down",
	"domain.up": "Server is back up",
	"domain.added": "Domain added",
	"domain.verified": "Domain verified (DNS TXT record)",
	"domain.removed": "Domain removed",
	"domain.claim_lapsed": "Unverified domain released (another company added it)",
	"domain.tested": "Connection tested",
	"auth.login": "Signed in",
	"auth.login_failed": "Sign-in failed",
	"auth.password_set": "Password set from the welcome email",
	"auth.code_sent": "Sign-in code sent",
	"auth.code_not_sent": "Sign-in code not sent",
	"auth.totp_enabled": "Authenticator app turned on",
	"auth.totp_disabled": "Authenticator app turned off",
	"user.created": "User added",
	"user.updated": "User changed",
	"user.disabled": "User disabled",
	"user.enabled": "User enabled",
	"user.deleted": "User deleted",
	"user.invited": "Welcome email sent",
	"user.invite_failed": "Welcome email not sent",
	"user.second_factor_reset": "Authenticator app reset",
	"alias.added": "Alias added",
	"alias.removed": "Alias removed",
	"group.created": "Group created",
	"group.updated": "Group changed",
	"group.deleted": "Group deleted",
	"discovery.run": "Recipient discovery run",
	"queue.dead_letter": "Dead letter",
	"announce.down": "Outage alerts queued: server down",
	"announce.up": "Outage alerts queued: server back",
	"notify.down": "Outage alert sent: server down",
	"notify.up": "Outage alert sent: server back",
	"notify.down_failed": "Outage alert failed",
	"notify.up_failed": "Outage alert failed",
	"company.updated": "Company settings changed",
	"message.received": "Message received",
	"message.sent": "Message sent",
	"message.retry": "Message retried",
	"message.bounce": "Message bounced",
	"inbox.view_started": "Admin opened a user's Emergency Inbox",
	"inbox.message_viewed": "Admin read a message in a user's inbox",
	"inbox.view_ended": "Admin left a user's Emergency Inbox",
	"access.denied": "Access refused",
};

export const eventLabel = (kind: string) => LABELS[kind] ?? kind;

/** Settings columns as the admin knows them from the forms. */
const COLUMNS: Record<string, string> = {
	deliveryHost: "destination host",
	deliveryPort: "destination port",
	deliveryTls: "destination TLS",
	deliveryAuthUser: "destination AUTH user",
	deliveryAuth: "destination AUTH password",
	smarthostHost: "outbound host",
	smarthostPort: "outbound port",
	smarthostTls: "outbound TLS",
	smarthostAuthUser: "outbound AUTH user",
	smarthostAuth: "outbound AUTH password",
	unknownRecipients: "unknown recipients",
	maxMessageBytes: "largest message",
	retrySchedule: "retry schedule",
	delayWarnings: "delay warnings",
	lifetimeSeconds: "give up after",
	retainDeliveredSeconds: "keeping other mail",
	retainHeldSeconds: "keeping held mail",
	failuresToDown: "failures before down",
	probesToUp: "good probes before up",
	drainConnections: "drain connections",
	messagesPerConnection: "messages per connection",
};

type Detail = Record<string, unknown>;

/** A user's fields as the user page names them. */
const USER_FIELDS: Record<string, string> = { displayName: "name", role: "role", alternateEmail: "alternate address" };

const text = (v: unknown): string => {
	if (typeof v === "string") return v;
	if (typeof v === "number" || typeof v === "boolean") return String(v);
	if (Array.isArray(v)) return v.map(text).join(", ");
	return "";
};

/** "550 5.1.1 no such user", skipping the parts a local failure does not have (code 0). */
const reply = (d: Detail) => [d.code ? text(d.code) : "", text(d.enhanced), text(d.text)].filter(Boolean).join(" ");

const joined = (...parts: string[]) => parts.filter(Boolean).join(" — ");

/** Whatever a kind we do not know carries: its plain values, briefly. */
function generic(d: Detail): string {
	return Object.entries(d)
		.map(([k, v]) => [k, text(v)])
		.filter(([, v]) => v)
		.map(([k, v]) => `${k}: ${v}`)
		.join("; ")
		.slice(0, 300);
}

export function eventSummary(e: AdminEvent): string {
	const d: Detail = e.detail && typeof e.detail === "object" && !Array.isArray(e.detail) ? (e.detail as Detail) : {};
	const [family] = e.kind.split(".");
	switch (e.kind) {
		case "domain.updated": {
			const changed = Array.isArray(d.changed) ? d.changed.map((c) => COLUMNS[text(c)] ?? text(c)) : [];
			return changed.length > 0 ? `Changed: ${changed.join(", ")}` : "Saved without changes";
		}
		case "domain.retry":
			return d.outcome === "delivered" ? `Server answered: ${text(d.text)}` : joined("Server did not answer", text(d.text));
		case "domain.down":
		case "domain.up":
			return d.error ? `Last error: ${text(d.error)}` : "";
		case "domain.added":
		case "domain.removed":
		case "domain.claim_lapsed":
			return text(d.displayName) || text(d.name);
		case "domain.verified":
			return joined(text(d.name), d.record ? `TXT ${text(d.record)}` : "");
		case "domain.tested":
			return joined(`${d.ok === true ? "Works" : "Failed"}: ${text(d.host)}:${text(d.port)}`, reply(d));
		case "dsn.sent":
			return joined(`${text(d.action) || "Delivery"} notice to ${text(d.to)}`, text(d.status));
		case "dsn.refused":
			return joined(`${text(d.action) || "Delivery"} notice refused`, reply(d));
		case "dsn.skipped":
			return joined(`${text(d.action) || "Delivery"} notice not sent`, text(d.reason));
		case "auth.login":
			return d.via === "code"
				? "With a mailed code"
				: d.via === "totp"
					? "With the authenticator app"
					: d.via === "recovery code"
						? "With a recovery code"
						: "";
		case "auth.recovery_code_used":
			return `${text(d.left)} left`;
		case "auth.login_failed":
			return joined(d.email ? `As ${text(d.email)}` : "", d.via === "code" ? "wrong or expired code" : "");
		case "auth.code_sent":
			return joined(text(d.email), `to ${text(d.to)}`);
		case "auth.code_not_sent":
			return joined(text(d.email), text(d.reason));
		case "user.updated": {
			const changed = d.changed && typeof d.changed === "object" ? (d.changed as Record<string, { from?: unknown; to?: unknown }>) : {};
			const parts = Object.entries(changed).map(
				([field, v]) => `${USER_FIELDS[field] ?? field} ${text(v?.from) || "(none)"} → ${text(v?.to) || "(none)"}`,
			);
			return joined(text(d.email), parts.join(", "), d.sessionsRevoked === true ? "signed out everywhere" : "");
		}
		case "user.second_factor_reset":
			return text(d.email);
		case "user.invited":
			return joined(text(d.email), `to ${text(d.to)}`);
		case "user.invite_failed":
			return joined(text(d.email), text(d.reason));
		case "alias.added":
		case "alias.removed":
			return joined(text(d.alias), `of ${text(d.email)}`);
		case "queue.dead_letter":
			return `${text(d.queue) || "A"} queue gave up after ${text(d.attempts) || "several"} attempts`;
		case "message.received":
			return joined(`From ${text(d.from)} to ${text(d.to)}`, typeof d.size === "number" ? humanSize(d.size) : "");
		case "message.sent":
			return joined(`${text(d.recipients)} recipient(s)`, typeof d.size === "number" ? humanSize(d.size) : "");
	}
	if (family === "notify")
		return joined(`To ${text(d.to)}${d.user ? ` (for ${text(d.user)})` : ""}`, e.kind.endsWith("_failed") ? text(d.result) : "");
	if (family === "delivery" || family === "outbound") return joined(d.to ? `To ${text(d.to)}` : "", reply(d));
	return generic(d);
}

/** A domain's delivery log (its object's, not the audit log): what happened, in words. */
export const DELIVERY_LOG_LABELS: Record<DeliveryLogEntry["kind"], string> = {
	received: "Received and spooled",
	delivered: "Delivered to your server",
	deferred: "Delivery deferred, will retry",
	bounced: "Given up: the sender was told",
	"dsn.sent": "Notice sent to the sender",
	"dsn.skipped": "Notice not sent",
	"dsn.refused": "Notice refused by the sender's server",
};

export function deliveryLogSummary(e: DeliveryLogEntry): string {
	const d = e.detail as Detail;
	switch (e.kind) {
		case "received":
			return joined(`For ${e.recipient}`, d.group ? `through the group ${text(d.group)}` : "");
		case "delivered":
		case "deferred":
		case "bounced":
			return joined(
				`To ${e.recipient}`,
				d.expired === true ? "kept as long as the policy allows" : "",
				reply(d),
				d.remoteMta ? `at ${text(d.remoteMta)}` : "",
				d.by ? `by an ${text(d.by)}` : "",
			);
		case "dsn.sent":
		case "dsn.refused":
		case "dsn.skipped":
			return joined(`${text(d.action) || "Delivery"} notice about ${e.recipient}`, text(d.status), text(d.reason), reply(d));
	}
}
