// Welcome mail: an administrator invites users (Company settings → Users), one ei-outbound job
// per user; this consumer issues a one-time set-password link (7 days) and mails it to the
// user's alternate address, since the company's own server may be the one that is down.
// A user has one working link at a time: a new mail (an invitation sent again, or a job the
// queue redelivers) spends the older link, and a link whose mail could not be sent is spent at once.
import { and, eq } from "drizzle-orm";
import { openDb } from "../db/client";
import { appendEvent, event } from "../db/events";
import { customers, users } from "../db/schema";
import { issueSetPasswordToken, spendToken } from "../db/user-tokens";
import { randomToken, sha256Hex } from "../lib/bytes";
import type { Clock } from "../lib/clock";
import { rfc5322Date } from "../lib/rfc5322-date";
import { mailToAlternate } from "./account-mail";
import type { InviteJob } from "./messages";

/** A queue message carries at most 100 messages per sendBatch call. */
const SEND_BATCH = 100;

/** Queues one welcome mail per user; the caller has checked they are the company's, enabled, with an alternate address. */
export async function enqueueInvites(env: Env, customerId: string, userIds: string[], requestedBy: string | null): Promise<void> {
	for (let i = 0; i < userIds.length; i += SEND_BATCH) {
		const jobs = userIds
			.slice(i, i + SEND_BATCH)
			.map((userId) => ({ body: { kind: "invite", userId, customerId, requestedBy } as InviteJob }));
		await env.OUTBOUND_QUEUE.sendBatch(jobs);
	}
}

export function welcomeText(o: { name: string; email: string; company: string; link: string; until: string; signIn: string }): string {
	return [
		`Hello${o.name ? ` ${o.name}` : ""},`,
		"",
		`An administrator of ${o.company} has set up an Emergency Inbox account for ${o.email}.`,
		"",
		"When your company's mail server cannot take mail, Emergency Inbox keeps it safe and lets you read and answer it until the server is back.",
		"",
		`Choose your password here (the link works once, until ${o.until}):`,
		o.link,
		"",
		`Then sign in at ${o.signIn} with ${o.email}.`,
		"",
		"If you did not expect this message, you can ignore it: nothing happens unless the link is used.",
	].join("\n");
}

export async function sendInvite(job: InviteJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const user = await db.query.users.findFirst({ where: and(eq(users.id, job.userId), eq(users.customerId, job.customerId)) });
	// Deleted since it was asked for: there is nobody to welcome.
	if (!user) return;
	const audit = (kind: "user.invited" | "user.invite_failed", detail: object) =>
		appendEvent(
			db,
			event(clock.now(), { customerId: job.customerId, actorUserId: job.requestedBy, kind, detail: { email: user.email, ...detail } }),
		);
	if (user.disabledAt !== null) return audit("user.invite_failed", { reason: "the account is disabled" });
	const to = user.alternateEmail;
	if (!to) return audit("user.invite_failed", { reason: "the user has no alternate address" });

	const company = await db.query.customers.findFirst({ columns: { name: true }, where: eq(customers.id, job.customerId) });
	const now = clock.now();
	const token = randomToken();
	const hash = await sha256Hex(token);
	const expiresAt = await issueSetPasswordToken(db, user.id, hash, now);
	const text = welcomeText({
		name: user.displayName,
		email: user.email,
		company: company?.name ?? "your company",
		link: `${env.PUBLIC_URL}/set-password?token=${token}`,
		until: rfc5322Date(new Date(expiresAt)),
		signIn: `${env.PUBLIC_URL}/login`,
	});
	const subject = `Your Emergency Inbox account ${user.email}: choose a password`;
	const outcome = await mailToAlternate(env, db, user, to, { subject, text, tag: "welcome" }, now);
	if (outcome.kind === "delivered") return audit("user.invited", { to, expiresAt: new Date(expiresAt).toISOString() });
	// Nobody received this link: it must not count as a pending invitation.
	await spendToken(db, hash, clock.now());
	const willRetry = outcome.kind === "tempfail";
	await audit("user.invite_failed", { to, reason: outcome.text.slice(0, 200), willRetry });
	// A temporary failure goes back to the queue (with backoff; the dead-letter queue records the last).
	if (willRetry) throw new Error(`welcome mail to ${to} deferred: ${outcome.text}`);
}
