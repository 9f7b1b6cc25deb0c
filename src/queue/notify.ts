// ei-outbound consumer, outage notices: when a domain goes down or comes back, its company's
// admins hear about it at their alternate address (their own mailbox may be the one that is
// down), with the link to the Emergency Inbox; so do its users when the company turned that
// on (customers.notify_users). At most one announcement per domain and state in RATE_MS, so
// a flapping server does not flood anyone; every notice is in the activity log.
//
// Two jobs, so that no single queue invocation has to reach everyone (a company of thousands
// would run out of subrequests midway):
// - `notify` (one per transition) decides once whether the transition is announced, records
//   that decision as an `announce.<state>` event with an id derived from (domain, state, at),
//   and pages through the people to tell, queueing one `notice` job each. A redelivered or
//   retried notify job finds its own decision and queues the same notice jobs again.
// - `notice` (one per person) sends one mail and records it as `notify.<state>` (or
//   `notify.<state>_failed`) under an id derived from (domain, state, at, user): a notice job
//   that finds its event already there has nothing to do, however often it is delivered.
import { and, asc, eq, gt, isNotNull, isNull, lt, or } from "drizzle-orm";
import { type Db, openDb } from "../db/client";
import { smarthostOf } from "../db/domains";
import { appendEventOnce, event } from "../db/events";
import { customers, domains, events, users } from "../db/schema";
import type { Clock } from "../lib/clock";
import { stableId } from "../lib/ids";
import { rfc5322Date } from "../lib/rfc5322-date";
import { composeMessage } from "../mail/compose";
import { sendOutbound } from "../relay/outbound";
import type { NoticeJob, NotifyJob } from "./messages";

const RATE_MS = 30 * 60_000;
/** People read per query, and notice jobs per sendBatch call (Queues takes at most 100). */
const PAGE = 100;
/** Pages one notify invocation queues before it hands the rest to a continuation job. */
const PAGES_PER_JOB = 10;

/**
 * Ids of the rows one transition writes. Their time part is one millisecond after the
 * transition, whose own domain.down/up event has a newId(at), so the log (ordered by id)
 * lists the notices after it.
 */
const announcementId = (job: Pick<NotifyJob, "domainId" | "state" | "at">) =>
	stableId(job.at + 1, `announce:${job.domainId}:${job.state}:${job.at}`);
const noticeId = (job: Pick<NoticeJob, "domainId" | "state" | "at" | "userId">) =>
	stableId(job.at + 1, `notice:${job.domainId}:${job.state}:${job.at}:${job.userId}`);

export async function notifyOutage(job: NotifyJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const domain = await db.query.domains.findFirst({ where: eq(domains.id, job.domainId) });
	if (!domain) return;
	if (!(await announced(db, job, domain.customerId, clock))) return;

	const company = await db.query.customers.findFirst({ columns: { notifyUsers: true }, where: eq(customers.id, domain.customerId) });
	let after = job.after;
	for (let page = 0; page < PAGES_PER_JOB; page++) {
		// Keyset on users.id through users_customer_id_idx: the same pages on every run.
		const people = await db
			.select({ id: users.id })
			.from(users)
			.where(
				and(
					eq(users.customerId, domain.customerId),
					...(company?.notifyUsers ? [] : [eq(users.role, "customer_admin")]),
					isNotNull(users.alternateEmail),
					isNull(users.disabledAt),
					...(after === undefined ? [] : [gt(users.id, after)]),
				),
			)
			.orderBy(asc(users.id))
			.limit(PAGE);
		if (people.length === 0) return;
		await env.OUTBOUND_QUEUE.sendBatch(
			people.map((p) => ({
				body: {
					kind: "notice",
					domainId: job.domainId,
					state: job.state,
					at: job.at,
					error: job.error,
					userId: p.id,
				} satisfies NoticeJob,
			})),
		);
		if (people.length < PAGE) return;
		after = people[people.length - 1]?.id;
	}
	// More people than one invocation should queue: the rest is a job of its own.
	await env.OUTBOUND_QUEUE.send({ ...job, after } satisfies NotifyJob);
}

/**
 * Whether this transition is announced, decided once and kept as its announce.<state> event.
 * Not when another transition to the same state was announced within RATE_MS of it (either
 * side: jobs may arrive out of order). When two such transitions are handled at the same
 * time and both record a decision, the earlier one is announced and the later one never, on
 * any run. A run that finds its own decision, with no earlier one beside it, goes on: the
 * retry of a notify job that stopped midway queues everyone again, and the notice jobs it
 * queued already do nothing the second time.
 */
async function announced(db: Db, job: NotifyJob, customerId: string, clock: Clock): Promise<boolean> {
	const id = await announcementId(job);
	const kind = `announce.${job.state}`;
	const nearby = () =>
		db
			.select({ id: events.id, createdAt: events.createdAt })
			.from(events)
			.where(
				and(
					eq(events.domainId, job.domainId),
					eq(events.kind, kind),
					gt(events.createdAt, job.at - RATE_MS),
					lt(events.createdAt, job.at + RATE_MS),
				),
			);
	let decisions = await nearby();
	if (!decisions.some((d) => d.id === id)) {
		if (decisions.length > 0) return false;
		// created_at is the transition's time, not the clock's: that is what RATE_MS is about.
		await appendEventOnce(db, {
			...event(clock.now(), { customerId, domainId: job.domainId, kind, detail: { error: job.error } }),
			id,
			createdAt: job.at,
		});
		decisions = await nearby();
	}
	return !decisions.some((d) => d.id !== id && (d.createdAt < job.at || (d.createdAt === job.at && d.id < id)));
}

/**
 * One person's notice. Once only, by its event: the id is derived from (domain, state, at,
 * user), a job whose event exists has nothing to do, and the insert after sending is a no-op
 * when it exists. What this cannot close: a crash (or a lost D1 write) after the mail server
 * accepted the notice and before the event is written, and two deliveries of the same job
 * running at the very same moment; either sends that person the notice twice. The
 * Message-ID is derived from the same id, so a receiving server or client can drop the copy.
 */
export async function sendNotice(job: NoticeJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const id = await noticeId(job);
	if (await db.query.events.findFirst({ columns: { id: true }, where: eq(events.id, id) })) return;
	const domain = await db.query.domains.findFirst({ where: eq(domains.id, job.domainId) });
	if (!domain) return;
	// Still someone to tell: in the company, enabled, with an alternate address, an admin or
	// a user of a company that has users told (it may have changed since the job was queued).
	const [person] = await db
		.select({ email: users.email, alternate: users.alternateEmail, role: users.role })
		.from(users)
		.innerJoin(customers, eq(customers.id, users.customerId))
		.where(
			and(
				eq(users.id, job.userId),
				eq(users.customerId, domain.customerId),
				or(eq(customers.notifyUsers, true), eq(users.role, "customer_admin")),
				isNotNull(users.alternateEmail),
				isNull(users.disabledAt),
			),
		)
		.limit(1);
	if (!person) return;

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
	const to = person.alternate as string;
	const raw = composeMessage({
		from: { name: "Emergency Inbox", addr: from },
		to: [{ name: "", addr: to }],
		cc: [],
		subject,
		text: textFor(person.role),
		messageId: `<${id.toLowerCase()}.notice@${env.RELAY_HOSTNAME}>`,
		date: new Date(clock.now()),
		inReplyTo: null,
		references: null,
		attachments: [],
	});
	const outcome = await sendOutbound(env, from, from, to, raw, smarthost);
	// As before the split: one try, and the log says whether it reached the server.
	const kind = `notify.${job.state}`;
	await appendEventOnce(db, {
		...event(clock.now(), {
			customerId: domain.customerId,
			domainId: domain.id,
			actorUserId: null,
			kind: outcome.kind === "delivered" ? kind : `${kind}_failed`,
			detail: { to, user: person.email, role: person.role, result: outcome.text.slice(0, 200) },
		}),
		id,
	});
}
