// ei-outbound consumer, notify jobs: when a domain goes down or comes back, its company's
// admins hear about it at their alternate address (their own mailbox may be the one that is
// down), with the link to the Emergency Inbox; so do its users when the company turned that
// on (customers.notify_users). At most one notice per domain and state in
// RATE_MS, so a flapping server does not flood anyone; every notice is in the activity log.
import { and, desc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { openDb } from "../db/client";
import { smarthostOf } from "../db/domains";
import { appendEvent, event } from "../db/events";
import { customers, domains, events, users } from "../db/schema";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import { rfc5322Date } from "../lib/rfc5322-date";
import { composeMessage } from "../mail/compose";
import { sendOutbound } from "../relay/outbound";
import type { NotifyJob } from "./messages";

const RATE_MS = 30 * 60_000;

export async function notifyOutage(job: NotifyJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const domain = await db.query.domains.findFirst({ where: eq(domains.id, job.domainId) });
	if (!domain) return;
	const kind = `notify.${job.state}`;
	const [recent] = await db
		.select({ createdAt: events.createdAt })
		.from(events)
		.where(and(eq(events.domainId, domain.id), eq(events.kind, kind), gt(events.createdAt, job.at - RATE_MS)))
		.orderBy(desc(events.id))
		.limit(1);
	if (recent) return;

	const company = await db.query.customers.findFirst({ columns: { notifyUsers: true }, where: eq(customers.id, domain.customerId) });
	const people = await db
		.select({ id: users.id, email: users.email, alternate: users.alternateEmail, role: users.role })
		.from(users)
		.where(
			and(
				eq(users.customerId, domain.customerId),
				...(company?.notifyUsers ? [] : [eq(users.role, "customer_admin")]),
				isNotNull(users.alternateEmail),
				isNull(users.disabledAt),
			),
		);
	const smarthost = await smarthostOf(domain, env.CREDENTIALS_KEY);
	const from = `emergency-inbox@${domain.name}`;
	const when = rfc5322Date(new Date(job.at));
	const subject =
		job.state === "down"
			? `[Emergency Inbox] ${domain.displayName}: your mail server is unreachable`
			: `[Emergency Inbox] ${domain.displayName}: your mail server is back`;
	const textFor = (role: string) => {
		const admin = role === "customer_admin";
		if (job.state === "up")
			return admin
				? `Since ${when}, your mail server for ${domain.displayName} accepts mail again. Emergency Inbox is delivering the mail it held, oldest first.\n\n${env.PUBLIC_URL}/admin`
				: `Since ${when}, mail for ${domain.displayName} reaches your usual mailbox again. What arrived during the outage is being delivered there, oldest first; until then it stays in your Emergency Inbox:\n${env.PUBLIC_URL}/`;
		return admin
			? `Since ${when}, Emergency Inbox cannot deliver mail for ${domain.displayName} to your mail server${job.error ? ` (${job.error})` : ""}.\n\nNew mail is held safely and your users can read and answer it in their Emergency Inbox:\n${env.PUBLIC_URL}/\n\nWe keep retrying and deliver everything held, in order, as soon as the server answers again.`
			: `Since ${when}, your company's mail server for ${domain.displayName} is unreachable. Your new mail is held safely: read and answer it in your Emergency Inbox:\n${env.PUBLIC_URL}/\n\nIt reaches your usual mailbox, in order, once the server is back.`;
	};
	for (const person of people) {
		const to = person.alternate as string;
		const raw = composeMessage({
			from: { name: "Emergency Inbox", addr: from },
			to: [{ name: "", addr: to }],
			cc: [],
			subject,
			text: textFor(person.role),
			messageId: `<${newId(clock.now())}.notice@${env.RELAY_HOSTNAME}>`,
			date: new Date(clock.now()),
			inReplyTo: null,
			references: null,
			attachments: [],
		});
		const outcome = await sendOutbound(env, from, from, to, raw, smarthost);
		await appendEvent(
			db,
			event(clock.now(), {
				customerId: domain.customerId,
				domainId: domain.id,
				actorUserId: null,
				kind: outcome.kind === "delivered" ? kind : `${kind}_failed`,
				detail: { to, user: person.email, role: person.role, result: outcome.text.slice(0, 200) },
			}),
		);
	}
}
