// What travels on the queues: ids, never bodies (a queue message is at most 128 KB, and the
// body is in R2 anyway). Both queues are at-least-once: every consumer re-checks state.

/** ei-delivery: one SMTP session's worth of a domain's messages, in the order to send them. */
export interface DeliveryJob {
	kind: "deliver";
	domain: string;
	batchId: string;
	messageIds: string[];
}

/** ei-outbound: a delivery status notification to a message's envelope sender. */
export interface DsnJob {
	kind: "dsn";
	messageId: string;
	recipient: string;
	action: "delayed" | "failed";
	/** RFC 3463 status, e.g. "4.4.7" (expired), "5.1.1" (refused). */
	status: string;
	/** The delay mark in seconds (delayed) or 0 (failed): with the rest, the once-only key. */
	mark: number;
	diagnostic: string | null;
	remoteMta: string | null;
	lastAttemptAt: number | null;
	willRetryUntil: number | null;
}

/** ei-outbound: mail written in the Emergency Inbox, to go to each of its recipients. */
export interface SendJob {
	kind: "send";
	messageId: string;
}

/**
 * ei-outbound: a domain went down or came back. Sends nothing itself: decides once whether
 * this transition is announced (at most one per domain and state in half an hour), then
 * queues one NoticeJob per person to tell (src/queue/notify.ts).
 */
export interface NotifyJob {
	kind: "notify";
	domainId: string;
	state: "up" | "down";
	at: number;
	error: string | null;
	/** Set on a continuation: the people with a users.id above this are still to be queued. */
	after?: string;
}

/** ei-outbound: the outage notice of one transition (domainId, state, at) to one person, once. */
export interface NoticeJob {
	kind: "notice";
	domainId: string;
	state: "up" | "down";
	at: number;
	error: string | null;
	userId: string;
}

/** ei-outbound: a welcome mail with a one-time set-password link, to the user's alternate address. */
export interface InviteJob {
	kind: "invite";
	userId: string;
	customerId: string;
	/** The administrator who asked for it: the actor of the user.invited event. */
	requestedBy: string | null;
}

/**
 * ei-outbound: a one-time sign-in code for whoever has this address, to their alternate
 * address. Queued for every request, known address or not, so the request itself says nothing.
 */
export interface SigninCodeJob {
	kind: "signin-code";
	/** Canonical, as typed on the sign-in page. */
	address: string;
	ip: string | null;
}

export type OutboundJob = DsnJob | SendJob | NotifyJob | NoticeJob | InviteJob | SigninCodeJob;

/**
 * ei-index: held messages to add to their mailboxes' search indexes (src/queue/search-index.ts).
 * At most INDEX_JOB_IDS ids: the consumer parses each body, so a job stays well inside one
 * invocation's CPU and memory.
 */
export interface IndexJob {
	kind: "index";
	messageIds: string[];
}

export const INDEX_JOB_IDS = 25;
