// One Durable Object per served domain (idFromName(domain)). It owns the downstream
// server's health and the delivery schedule of the domain's spool; D1 stays the source of
// truth for messages. One alarm, always armed to the earliest due event; every handler is
// idempotent, because alarms, RPCs and queue messages all run at least once.
import { DurableObject } from "cloudflare:workers";
import { purgeBodies } from "../bodies/retention";
import { openDb } from "../db/client";
import { type PublishedSummary, publishSummary, settledCounts } from "../db/domain-summaries";
import { type DomainRow, deliveryTarget, findDomainByName } from "../db/domains";
import type { HourCounts } from "../db/report-sql";
import { countsBefore } from "../db/reports";
import { markBounced, markQueued, markSpooled, recordHealthChange } from "../db/spool-mirror";
import { type Clock, systemClock } from "../lib/clock";
import { newId } from "../lib/ids";
import type { DeliveryJob } from "../queue/messages";
import { enqueueIndex } from "../queue/search-index";
import { describeOutcome, tempfail } from "../relay/outcome";
import { probe } from "../relay/smtp-client";
import type { Outcome } from "../relay/types";
import { planBatches } from "./batching";
import { type Health, type HealthEvent, initialHealth, nextHealth, nextProbeAt } from "./health";
import { delayedDsn, expiredOutcome, failedDsn, outageNotice } from "./jobs";
import { type IndexEntry, mailboxIndex } from "./mailbox-index";
import { dueWarning, expiresAt, nextAttemptAt, nextEventAt, policyOf } from "./schedule";
import type { SpoolRow } from "./spool-sql";
import { type HourMeasure, type LogEntry, type LoggedEntry, SpoolStore } from "./spool-store";

/** A batch not reported back by then is presumed lost (consumer crashed, dead-lettered). */
const LEASE_MS = 15 * 60_000;
const CONFIG_TTL_MS = 10_000;
/**
 * Rows one step takes at a time (a D1 round trip each for holding): a call's work follows
 * what is due, and a 3-day outage of a 500-mailbox domain (tens of thousands of messages)
 * never lands in a single pass.
 */
const HOLD_BATCH = 500;
const EVENT_BATCH = 500;
/**
 * The summary in D1 (domain_summaries) follows the spool at most this late: one D1 write per
 * domain a minute while mail moves, whatever its rate. 10,000 domains ingesting at once are
 * then ~170 writes/s on D1; a change of state (down, up, drained) is written at once.
 */
const SUMMARY_MS = 60_000;
/** The delivery log keeps 90 days per domain: three times the longest a message may wait (30 days). */
export const LOG_RETENTION_MS = 90 * 86_400_000;
const LOG_PRUNE_BATCH = 1_000;
/**
 * Body text kept in memory for messages accepted but not yet held (see AcceptedMessage.search):
 * past it, a message is indexed through the queue instead. An object's memory is 128 MB.
 */
const SEARCHABLE_CHARS = 4_000_000;
/** Bodies one alarm pass drops: a D1 read and write, an R2 delete and at most this many mailbox calls. */
const BODY_BATCH = 200;

export interface AcceptedMessage {
	id: string;
	receivedAt: number;
	recipient: string;
	/** A group's copy for one member: the group's address, for the delivery log. */
	group?: string;
	/**
	 * What the mailbox's search index takes should the message be held now: the receiving
	 * worker parsed it already, so holding indexes it without the queue, R2 or a second parse.
	 */
	search?: Searchable;
}

export interface Searchable {
	userId: string;
	entry: IndexEntry;
}

export interface BatchReport {
	batchId: string;
	results: { messageId: string; outcome: Outcome }[];
	/** The session failed before any message was tried (connect, greeting, TLS, AUTH). */
	sessionError: Outcome | null;
	/** No connection could be made (refused, unreachable): the server is down for sure. */
	refused: boolean;
	remoteMta: string;
}

export interface DomainStatus {
	domain: string | null;
	health: Health;
	/** Waiting in the spool, deferred ones included. */
	spooled: number;
	inflight: number;
	/** Waiting after a failed attempt. */
	deferred: number;
	/** Left the spool delivered, or given up on, since the object began (seedTallies). */
	delivered: number;
	bounced: number;
	/** The object's SQLite, against STORAGE_LIMIT_BYTES. */
	storageBytes: number;
	/** When mail last reached the spool, and was last delivered (the delivery log's last entries). */
	lastReceivedAt: number | null;
	lastDeliveredAt: number | null;
	nextAlarmAt: number | null;
}

/** A holding pass under way: `again` when a call left its rows to it after its last read. */
interface HoldRun {
	level: number;
	again: boolean;
	done: Promise<void>;
}

export class DomainRelay extends DurableObject<Env> {
	/** Tests replace this to move time; production uses the system clock. */
	clock: Clock = systemClock;
	private readonly store: SpoolStore;
	private config: { row: DomainRow; loadedAt: number } | null = null;
	/** Index entries of accepted messages, by id, until holdWaiting uses them or pump dispatches them. */
	private readonly searchable = new Map<string, Searchable>();
	private searchableChars = 0;
	/** When this object began counting for the reports (meta hourlyFrom): earlier events are D1's to tell. */
	private readonly countingFrom: number;
	private seedingHours: Promise<void> | null = null;
	/** The holding pass under way, if any (holdWaiting): later calls leave their rows to it. */
	private holding: HoldRun | null = null;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new SpoolStore(ctx.storage.sql);
		if (this.store.recall("talliesFrom") === null) void ctx.blockConcurrencyWhile(() => this.seedTallies());
		const from = this.store.recallNumber("hourlyFrom");
		this.countingFrom = from ?? this.clock.now();
		if (from === null) this.store.remember("hourlyFrom", String(this.countingFrom));
	}

	// ---- RPC ----------------------------------------------------------------------------

	/** Takes stored messages into the spool and dispatches or holds them. Repeating it changes nothing. */
	async acceptMany(msgs: AcceptedMessage[], domainName: string): Promise<void> {
		if (this.store.recall("domain") !== domainName) this.store.remember("domain", domainName);
		const domain = await this.domain();
		const policy = domain ? policyOf(domain.row) : null;
		// Due at once (0): arrival time comes from the ingesting worker's clock, which need
		// not agree with this object's to the millisecond. Without a policy (no domain row) the
		// first warning or expiry is unknown: 0 has the alarm look at the row at once.
		const received: LogEntry[] = [];
		for (const msg of msgs) {
			const added = this.store.sql(
				`INSERT INTO spool (message_id, recipient, received_at, state, next_attempt_at, next_event_at)
				 VALUES (?, ?, ?, 'waiting', 0, ?) ON CONFLICT (message_id) DO NOTHING RETURNING 1 AS n`,
				msg.id,
				msg.recipient,
				msg.receivedAt,
				policy ? nextEventAt(msg.receivedAt, 0, policy) : 0,
			);
			if (added.length === 0) continue;
			this.countHour("received", msg.receivedAt, msg.receivedAt);
			if (msg.search) this.keepSearchable(msg.id, msg.search);
			received.push({
				messageId: msg.id,
				recipient: msg.recipient,
				kind: "received",
				...(msg.group ? { detail: { group: msg.group } } : {}),
			});
		}
		this.store.log(this.clock.now(), received);
		await this.pump();
	}

	/** The delivery consumer's report on one batch. Unknown or already-reported batches are ignored. */
	async report(report: BatchReport): Promise<void> {
		const now = this.clock.now();
		const rows = this.store.sql<SpoolRow>("SELECT * FROM spool WHERE batch_id = ? AND state = 'inflight'", report.batchId);
		if (rows.length === 0 && !this.store.batchExists(report.batchId)) return;
		const domain = await this.domain();
		const policy = domain ? policyOf(domain.row) : null;
		const byId = new Map(report.results.map((r) => [r.messageId, r.outcome]));
		const logged: LogEntry[] = [];

		for (const row of rows) {
			const outcome = byId.get(row.message_id) ?? report.sessionError;
			logged.push({
				messageId: row.message_id,
				recipient: row.recipient,
				kind: !outcome || outcome.kind === "tempfail" ? "deferred" : outcome.kind === "delivered" ? "delivered" : "bounced",
				detail: outcome
					? { code: outcome.code, enhanced: outcome.enhanced, text: outcome.text.slice(0, 500), remoteMta: report.remoteMta }
					: { text: "not attempted in the session" },
			});
			if (!outcome || outcome.kind === "tempfail") {
				const attempts = row.attempts + 1;
				const next = policy ? nextAttemptAt(now, attempts, policy.retrySchedule) : now + 3_600_000;
				this.store.sql(
					"UPDATE spool SET state = 'waiting', batch_id = NULL, attempts = ?, next_attempt_at = ? WHERE message_id = ?",
					attempts,
					next,
					row.message_id,
				);
			} else {
				// delivered, or refused for good (the consumer recorded it and owes the failure DSN
				// sent below): either way it leaves the spool.
				this.store.sql("DELETE FROM spool WHERE message_id = ?", row.message_id);
				// Its body stays for the retention window, then this object's alarm drops it. Mail never
				// held with no window had its body dropped by the consumer already.
				const held = row.held >= 2;
				if (outcome.kind === "delivered" && (held || (domain?.row.retainDeliveredSeconds ?? 0) > 0))
					this.store.keepBody(row.message_id, now, held);
				if (outcome.kind !== "delivered") this.bounced(1, now);
				else {
					this.store.tally("delivered", 1);
					if (held) this.countHour("deliveredAfterRecovery", now, now);
				}
				if (outcome.kind === "permfail") await this.env.OUTBOUND_QUEUE.send(failedDsn(row, outcome, report.remoteMta, now));
			}
		}
		this.store.sql("DELETE FROM batches WHERE id = ?", report.batchId);
		this.store.log(now, logged);

		if (domain) {
			const event: HealthEvent = report.sessionError
				? { kind: "session-failed", at: now, error: describeOutcome(report.sessionError), refused: report.refused }
				: { kind: "session-ok", at: now };
			await this.applyHealth(event, domain.row);
		}
		await this.pump();
	}

	async status(): Promise<DomainStatus> {
		const n = this.store.counts();
		return {
			domain: this.store.recall("domain"),
			health: this.health(),
			spooled: n.waiting,
			inflight: n.inflight,
			deferred: n.deferred,
			delivered: n.delivered,
			bounced: n.bounced,
			storageBytes: this.store.sizeBytes,
			lastReceivedAt: this.store.recallNumber("last.received"),
			lastDeliveredAt: this.store.recallNumber("last.delivered"),
			nextAlarmAt: await this.ctx.storage.getAlarm(),
		};
	}

	/**
	 * The domain's report counts for the hours `fromHour` to `toHour` (whole hours since 1970,
	 * UTC): at most one row read per hour. The first call of an object that began counting after
	 * its domain had mail reads the counts from before out of D1, once.
	 */
	async reportCounts(domain: { id: string; customerId: string }, fromHour: number, toHour: number): Promise<HourCounts[]> {
		if (this.store.recall("hourlySeeded") === null) {
			this.seedingHours ??= this.seedHours(domain).finally(() => {
				this.seedingHours = null;
			});
			await this.seedingHours;
		}
		return this.store.hours(fromHour, toHour);
	}

	/** The delivery log, newest first: a page of up to `limit` entries older than `before` (a seq). */
	async log(before: number | null, limit: number): Promise<LoggedEntry[]> {
		return this.store.logPage(before, Math.min(Math.max(limit, 1), 200));
	}

	/**
	 * Bodies delivered before this object kept their retention (the hand-over job, src/queue/
	 * retention-handover.ts): from now on its alarm drops them when due. Repeating it changes nothing.
	 */
	async retain(bodies: { messageId: string; deliveredAt: number; held: boolean }[], domainName: string): Promise<void> {
		this.store.remember("domain", domainName);
		for (const b of bodies) this.store.keepBody(b.messageId, b.deliveredAt, b.held);
		await this.arm(this.clock.now());
	}

	/** Entries written elsewhere about this domain's mail (the DSN consumer's outcomes). */
	async note(entries: LogEntry[]): Promise<void> {
		this.store.log(this.clock.now(), entries);
	}

	/** An admin changed the domain (destination, policy, hold): forget the cached copy and act on it. */
	async configChanged(): Promise<void> {
		this.config = null;
		await this.pump();
	}

	/** "Retry now": probe at once; a successful manual probe ends the outage (the admin asked). */
	async retryNow(): Promise<Outcome & { transcript: string[] }> {
		const domain = await this.domain();
		if (!domain) return { ...tempfail("domain not found"), transcript: [] };
		const result = await this.runProbe(domain.row, true);
		this.store.sql("UPDATE spool SET next_attempt_at = ? WHERE state = 'waiting'", this.clock.now());
		await this.pump();
		return result;
	}

	/** Makes one held message due now. */
	async retryMessage(messageId: string): Promise<boolean> {
		const changed = this.store.sql<{ n: number }>(
			"UPDATE spool SET next_attempt_at = ? WHERE message_id = ? AND state = 'waiting' RETURNING 1 AS n",
			this.clock.now(),
			messageId,
		);
		await this.pump();
		return changed.length > 0;
	}

	/** Gives up on one held message now: failed DSN to its sender, bounced in D1. */
	async bounceMessage(messageId: string, reason: string): Promise<boolean> {
		const [row] = this.store.sql<SpoolRow>("SELECT * FROM spool WHERE message_id = ? AND state = 'waiting'", messageId);
		if (!row) return false;
		this.store.sql("DELETE FROM spool WHERE message_id = ?", messageId);
		const now = this.clock.now();
		this.bounced(1, now);
		this.store.log(now, [{ messageId, recipient: row.recipient, kind: "bounced", detail: { text: reason, by: "administrator" } }]);
		await markBounced(openDb(this.env.DB), [messageId], now);
		const outcome: Outcome = { kind: "permfail", code: 550, enhanced: "5.0.0", text: reason };
		await this.env.OUTBOUND_QUEUE.send(failedDsn(row, outcome, null, now));
		await this.pump();
		return true;
	}

	// ---- alarm --------------------------------------------------------------------------

	override async alarm(): Promise<void> {
		const now = this.clock.now();
		const domain = await this.domain();
		// Batches never reported (a crashed or dead-lettered consumer) go back to waiting; the
		// consumer re-checks D1 before sending, so nothing already delivered goes out twice.
		for (const b of this.store.sql<{ id: string }>("SELECT id FROM batches WHERE lease_until <= ?", now)) {
			this.store.sql("UPDATE spool SET state = 'waiting', batch_id = NULL WHERE batch_id = ?", b.id);
			this.store.sql("DELETE FROM batches WHERE id = ?", b.id);
		}
		// The log's old end, through log_at; a full batch leaves the rest for the next pass (arm()).
		this.store.pruneLog(now - LOG_RETENTION_MS, LOG_PRUNE_BATCH);
		if (domain) {
			await this.dropBodies(domain.row, now);
			await this.expireAndWarn(domain.row, now);
			const h = this.health();
			const probeAt = nextProbeDue(h, this.store.recallNumber("nextProbeAt"));
			if (h.state === "down" && probeAt !== null && probeAt <= now) await this.runProbe(domain.row, false);
		}
		await this.pump();
	}

	// ---- scheduling ---------------------------------------------------------------------

	/** Dispatches what may go now, holds the rest, and re-arms the alarm. */
	private async pump(): Promise<void> {
		const now = this.clock.now();
		const domain = await this.domain();
		if (!domain) return this.arm(now);
		const row = domain.row;
		const canSend = this.health().state === "up" && !row.held && row.deliveryHost !== null && row.deliveryPort !== null;
		if (!canSend) {
			await this.holdWaiting(now, true);
			await this.publish(row, now);
			return this.arm(now);
		}
		const freeSlots = row.drainConnections - (this.store.sql<{ n: number }>("SELECT count(*) AS n FROM batches")[0]?.n ?? 0);
		// Oldest first; a recipient already in flight waits, so two connections never carry
		// the same recipient at once and each recipient's mail arrives in arrival order.
		const due = this.store.sql<{ id: string; recipient: string }>(
			`SELECT message_id AS id, recipient FROM spool
			 WHERE state = 'waiting' AND next_attempt_at <= ?
			   AND recipient NOT IN (SELECT recipient FROM spool WHERE state = 'inflight')
			 ORDER BY received_at, message_id LIMIT ?`,
			now,
			Math.max(freeSlots, 0) * row.messagesPerConnection * 4,
		);
		for (const ids of planBatches(due, freeSlots, row.messagesPerConnection)) {
			const batchId = newId(now);
			this.store.sql("INSERT INTO batches (id, dispatched_at, lease_until) VALUES (?, ?, ?)", batchId, now, now + LEASE_MS);
			for (const id of ids)
				this.store.sql("UPDATE spool SET state = 'inflight', batch_id = ?, held = max(held, 1) WHERE message_id = ?", batchId, id);
			await markQueued(openDb(this.env.DB), ids, now);
			this.forgetSearchable(ids);
			const job: DeliveryJob = { kind: "deliver", domain: row.name, batchId, messageIds: ids };
			await this.env.DELIVERY_QUEUE.send(job);
		}
		// Not dispatched yet (waiting for a free connection or a retry): claimed, not an outage.
		await this.holdWaiting(now, false);
		await this.publish(row, now);
		return this.arm(now);
	}

	/**
	 * Mirrors the spool into D1 for the Emergency Inbox. `held` in the spool: 0 = still
	 * "received" in D1, 1 = claimed ("spooled"), 2 = held during an outage or hold (held_at
	 * set: the user sees it, and it is indexed for search). Each row is written once per step,
	 * not once per pump. One pass at a time: a call arriving while a pass at its level runs
	 * leaves its rows to that pass, which goes on until none is left, so concurrent arrivals
	 * share one D1 write and one index call instead of queueing a round trip each.
	 */
	private async holdWaiting(now: number, outage: boolean): Promise<void> {
		const level = outage ? 2 : 1;
		while (this.holding && this.holding.level < level) await this.holding.done.catch(() => {});
		if (this.holding) {
			// Checked and set in one synchronous step, as the running pass checks and ends in one:
			// either that pass sees `again` and runs once more, or it is over and this call runs.
			this.holding.again = true;
			return;
		}
		const run: HoldRun = { level, again: false, done: Promise.resolve() };
		this.holding = run;
		run.done = (async () => {
			try {
				do {
					run.again = false;
					await this.holdPass(now, level, outage);
				} while (run.again);
			} finally {
				this.holding = null;
			}
		})();
		await run.done;
	}

	private async holdPass(now: number, level: number, outage: boolean): Promise<void> {
		for (;;) {
			// Through spool_held: only rows not yet at this level are read, never the whole spool.
			const ids = this.store
				.sql<{ message_id: string }>("SELECT message_id FROM spool WHERE state = 'waiting' AND held < ? LIMIT ?", level, HOLD_BATCH)
				.map((r) => r.message_id);
			if (ids.length === 0) return;
			await markSpooled(openDb(this.env.DB), ids, now, { held: outage });
			// Held mail is shown in the Emergency Inbox, so it is searched (again, harmlessly, if
			// this step is repeated after a crash).
			if (outage) await this.index(ids);
			else this.forgetSearchable(ids);
			// Exactly the rows just mirrored: a message accepted while D1 was awaited was not, and
			// marking it too would hide it from the Emergency Inbox for good.
			for (const id of ids) {
				const [row] = this.store.sql<{ received_at: number }>(
					"UPDATE spool SET held = ? WHERE message_id = ? AND held < ? RETURNING received_at",
					level,
					id,
					level,
				);
				if (row && level === 2) this.countHour("held", row.received_at, now);
			}
			// Rows accepted meanwhile were left to this pass by their calls (`again`): it runs once more.
			if (ids.length < HOLD_BATCH) return;
		}
	}

	/**
	 * Held messages into their mailboxes' search indexes: those whose entry came with them
	 * straight to each mailbox's object, one call per mailbox; the rest (accepted by an earlier
	 * instance, or held later) through the index queue, which reads and parses the body.
	 */
	private async index(ids: string[]): Promise<void> {
		const direct = ids.flatMap((id) => {
			const s = this.searchable.get(id);
			return s ? [s] : [];
		});
		const viaQueue = ids.filter((id) => !this.searchable.has(id));
		const calls = [...Map.groupBy(direct, (s) => s.userId)].map(async ([userId, mine]) => {
			try {
				await mailboxIndex(this.env, userId).index(mine.map((s) => s.entry));
			} catch (err) {
				console.error(`mailbox ${userId}: index call failed, queueing`, err);
				viaQueue.push(...mine.map((s) => s.entry.messageId));
			}
		});
		await Promise.all(calls);
		if (viaQueue.length > 0) await enqueueIndex(this.env, viaQueue);
		this.forgetSearchable(ids);
	}

	private keepSearchable(id: string, s: Searchable): void {
		const chars = charsOf(s);
		if (this.searchableChars + chars > SEARCHABLE_CHARS) return;
		this.searchable.set(id, s);
		this.searchableChars += chars;
	}

	private forgetSearchable(ids: string[]): void {
		for (const id of ids) {
			const s = this.searchable.get(id);
			if (!s) continue;
			this.searchable.delete(id);
			this.searchableChars -= charsOf(s);
		}
	}

	/**
	 * Bodies past their retention (retain_held_seconds for mail that was held, else
	 * retain_delivered_seconds), oldest first through bodies_due, a batch at a time; a full batch
	 * leaves the rest due, so arm() sets the alarm at once. The row goes only after D1 and R2
	 * did: a failure here is retried by the next pass.
	 */
	private async dropBodies(row: DomainRow, now: number): Promise<void> {
		const due = [
			...this.store.sql<{ message_id: string }>(
				"SELECT message_id FROM bodies WHERE held = 1 AND delivered_at <= ? ORDER BY delivered_at LIMIT ?",
				now - row.retainHeldSeconds * 1000,
				BODY_BATCH,
			),
			...this.store.sql<{ message_id: string }>(
				"SELECT message_id FROM bodies WHERE held = 0 AND delivered_at <= ? ORDER BY delivered_at LIMIT ?",
				now - row.retainDeliveredSeconds * 1000,
				BODY_BATCH,
			),
		]
			.slice(0, BODY_BATCH)
			.map((r) => r.message_id);
		if (due.length === 0) return;
		await purgeBodies(this.env, due, now);
		for (const id of due) this.store.sql("DELETE FROM bodies WHERE message_id = ?", id);
	}

	/** Delay warnings at their marks; at the end of the lifetime a 4.4.7 failure. */
	private async expireAndWarn(row: DomainRow, now: number) {
		const policy = policyOf(row);
		// Only rows with an event due, through spool_events. A full batch leaves the rest due,
		// so arm() sets the alarm at now and the next pass takes them.
		const waiting = this.store.sql<SpoolRow>(
			"SELECT * FROM spool WHERE state = 'waiting' AND next_event_at <= ? ORDER BY next_event_at LIMIT ?",
			now,
			EVENT_BATCH,
		);
		const expired: SpoolRow[] = [];
		for (const m of waiting) {
			if (expiresAt(m.received_at, policy.lifetimeSeconds) <= now) {
				expired.push(m);
				continue;
			}
			const due = dueWarning(m.received_at, now, m.warnings_sent, policy);
			const sent = due ? due.index + 1 : m.warnings_sent;
			// Also for a row with nothing due (computed under another policy, or not at all):
			// its next event is now in the future, so it is not read again before then.
			this.store.sql(
				"UPDATE spool SET warnings_sent = ?, next_event_at = ? WHERE message_id = ?",
				sent,
				nextEventAt(m.received_at, sent, policy),
				m.message_id,
			);
			if (due) await this.env.OUTBOUND_QUEUE.send(delayedDsn(m, due.mark, this.health(), policy));
		}
		if (expired.length === 0) return;
		for (const m of expired) this.store.sql("DELETE FROM spool WHERE message_id = ?", m.message_id);
		this.bounced(expired.length, now);
		const outcome = expiredOutcome(policy, this.health());
		this.store.log(
			now,
			expired.map((m) => ({
				messageId: m.message_id,
				recipient: m.recipient,
				kind: "bounced",
				detail: { code: outcome.code, enhanced: outcome.enhanced, text: outcome.text, expired: true },
			})),
		);
		await markBounced(
			openDb(this.env.DB),
			expired.map((m) => m.message_id),
			now,
		);
		for (const m of expired) await this.env.OUTBOUND_QUEUE.send(failedDsn(m, outcome, null, now));
	}

	private async runProbe(row: DomainRow, manual: boolean): Promise<Outcome & { transcript: string[] }> {
		const now = this.clock.now();
		const target = await deliveryTarget(row, this.env);
		const result = target.ok
			? await probe(target.dest, { heloName: this.env.RELAY_HOSTNAME })
			: { ...tempfail(target.text, "4.4.0"), transcript: [] };
		const event: HealthEvent =
			result.kind === "delivered"
				? manual
					? { kind: "forced-up", at: now }
					: { kind: "probe-ok", at: now }
				: { kind: "probe-failed", at: now, error: describeOutcome(result) };
		await this.applyHealth(event, row);
		return result;
	}

	private async applyHealth(event: HealthEvent, row: DomainRow): Promise<void> {
		const before = this.health();
		const after = nextHealth(before, event, { failuresToDown: row.failuresToDown, probesToUp: row.probesToUp });
		this.store.remember("health", JSON.stringify(after));
		const probeAt = nextProbeAt(after, event.at);
		this.store.remember("nextProbeAt", probeAt === null ? "" : String(probeAt));
		if (before.state === after.state) return;
		await recordHealthChange(openDb(this.env.DB), row, after.state, after.lastError, event.at);
		// Recovery: everything held becomes due now, and the drain starts oldest first.
		if (after.state === "up") this.store.sql("UPDATE spool SET next_attempt_at = ? WHERE state = 'waiting'", event.at);
		await this.env.OUTBOUND_QUEUE.send(outageNotice(row.id, after, event.at));
	}

	/** One alarm for everything: the earliest of probe, retry, lease expiry, warning and expiry. */
	private async arm(now: number): Promise<void> {
		const domain = await this.domain();
		const candidates: number[] = [];
		const h = this.health();
		const probeAt = nextProbeDue(h, this.store.recallNumber("nextProbeAt"));
		if (h.state === "down" && probeAt !== null) candidates.push(probeAt);
		const lease = this.store.sql<{ t: number | null }>("SELECT min(lease_until) AS t FROM batches")[0]?.t;
		if (lease) candidates.push(lease);
		const summaryDue = this.store.recallNumber("summaryDueAt");
		if (summaryDue) candidates.push(summaryDue);
		const oldest = this.store.oldestLogAt();
		if (oldest !== null) candidates.push(oldest + LOG_RETENTION_MS);
		if (domain) {
			// Through bodies_due: the oldest body of each kind, one row read each.
			for (const [held, seconds] of [
				[1, domain.row.retainHeldSeconds],
				[0, domain.row.retainDeliveredSeconds],
			] as const) {
				const first = this.store.sql<{ t: number | null }>("SELECT min(delivered_at) AS t FROM bodies WHERE held = ?", held)[0]?.t;
				if (first !== null && first !== undefined) candidates.push(first + seconds * 1000);
			}
			// Both minima come from an index (spool_due, spool_events): one row read each.
			if (h.state === "up" && !domain.row.held) {
				const due = this.store.sql<{ t: number | null }>("SELECT min(next_attempt_at) AS t FROM spool WHERE state = 'waiting'")[0]?.t;
				if (due) candidates.push(Math.max(due, now));
			}
			const event = this.store.sql<{ t: number | null }>("SELECT min(next_event_at) AS t FROM spool WHERE state = 'waiting'")[0]?.t;
			if (event !== null && event !== undefined) candidates.push(event);
		}
		if (candidates.length === 0) {
			await this.ctx.storage.deleteAlarm();
			return;
		}
		await this.ctx.storage.setAlarm(Math.max(Math.min(...candidates), now));
	}

	// ---- summary ------------------------------------------------------------------------

	/**
	 * Writes the domain's summary to D1 when it changed: at once when what the dashboards call
	 * its state changes (health, or mail held vs none), else at most every SUMMARY_MS (the alarm
	 * takes the rest). A failed write is retried by the next call; it never stops the spool.
	 */
	private async publish(row: DomainRow, now: number): Promise<void> {
		const n = this.store.counts();
		const h = this.health();
		const summary: PublishedSummary = {
			domainId: row.id,
			health: h.state,
			healthSince: h.since,
			lastError: h.lastError,
			waiting: n.waiting,
			inflight: n.inflight,
			deferred: n.deferred,
			delivered: n.delivered,
			bounced: n.bounced,
			// Whole megabytes: every message changes the byte count, and this is for a warning at 8 GB.
			storageBytes: Math.floor(this.store.sizeBytes / 1_048_576) * 1_048_576,
			updatedAt: now,
		};
		const key = (s: PublishedSummary) => JSON.stringify({ ...s, updatedAt: 0 });
		const shape = (s: PublishedSummary) => `${s.domainId} ${s.health} ${s.healthSince} ${s.waiting + s.inflight > 0}`;
		const last = this.store.recall("summary");
		const before = last ? (JSON.parse(last) as PublishedSummary) : null;
		if (before && key(before) === key(summary)) {
			this.store.remember("summaryDueAt", "");
			return;
		}
		const dueAt = before ? before.updatedAt + SUMMARY_MS : now;
		if (before && shape(before) === shape(summary) && now < dueAt) {
			this.store.remember("summaryDueAt", String(dueAt));
			return;
		}
		try {
			await publishSummary(openDb(this.env.DB), summary);
			this.store.remember("summary", JSON.stringify(summary));
			this.store.remember("summaryDueAt", "");
		} catch (err) {
			console.error(`domain ${row.name}: summary not written, retrying`, err);
			this.store.remember("summaryDueAt", String(now + SUMMARY_MS));
		}
	}

	/**
	 * An object that held mail before it counted delivered and bounced mail starts from what D1
	 * recorded for its domain: once, before its first call. A new object starts at zero.
	 */
	private async seedTallies(): Promise<void> {
		const name = this.store.recall("domain");
		try {
			const row = name ? await findDomainByName(openDb(this.env.DB), name) : undefined;
			if (row) {
				const settled = await settledCounts(openDb(this.env.DB), row.id);
				this.store.tally("delivered", settled.delivered);
				this.store.tally("bounced", settled.bounced);
			}
			this.store.remember("talliesFrom", row ? "d1" : "zero");
		} catch (err) {
			// Counts only: the spool works without them, and the next start tries again.
			console.error(`domain ${name}: delivered and bounced counts not read from D1`, err);
		}
	}

	/** Mail that left the spool given up on (refused, expired, bounced by an admin): the total and the report's hour. */
	private bounced(n: number, now: number): void {
		this.store.tally("bounced", n);
		this.countHour("bounced", now, now, n);
	}

	/** Counts an event for the reports, in the hour of `bucketAt`, if it happened (`at`) since this object began counting. */
	private countHour(measure: HourMeasure, bucketAt: number, at: number, n = 1): void {
		if (at >= this.countingFrom) this.store.countHour(measure, bucketAt, n);
	}

	/** What happened before this object counted, from D1: added in one synchronous step with the flag, so exactly once. */
	private async seedHours(domain: { id: string; customerId: string }): Promise<void> {
		const before = await countsBefore(openDb(this.env.DB), domain, this.countingFrom);
		if (this.store.recall("hourlySeeded") !== null) return;
		this.store.addHours(before);
		this.store.remember("hourlySeeded", String(this.clock.now()));
	}

	// ---- state --------------------------------------------------------------------------

	/** The domain's row, cached for a few seconds on the object's clock (configChanged() drops it). */
	private async domain(): Promise<{ row: DomainRow } | null> {
		const name = this.store.recall("domain");
		if (!name) return null;
		const now = this.clock.now();
		// A clock moved backwards (tests do) reloads too.
		if (this.config && now >= this.config.loadedAt && now - this.config.loadedAt < CONFIG_TTL_MS) return this.config;
		const row = await findDomainByName(openDb(this.env.DB), name);
		if (row) this.eventsFollow(row);
		this.config = row ? { row, loadedAt: now } : null;
		return this.config;
	}

	/**
	 * next_event_at depends on the domain's warning marks and lifetime. When they change (an
	 * admin's action, seen here at the latest CONFIG_TTL_MS later; or an object migrated from
	 * before the column) every row's is computed again. This is the one place the object
	 * touches its whole spool outside a recovery, once per policy change: acceptable for an
	 * admin's action, and never per message.
	 */
	private eventsFollow(row: DomainRow): void {
		const policy = policyOf(row);
		const key = JSON.stringify([policy.delayWarnings, policy.lifetimeSeconds]);
		if (this.store.recall("eventPolicy") === key) return;
		for (const m of this.store.sql<Pick<SpoolRow, "message_id" | "received_at" | "warnings_sent">>(
			"SELECT message_id, received_at, warnings_sent FROM spool",
		))
			this.store.sql(
				"UPDATE spool SET next_event_at = ? WHERE message_id = ?",
				nextEventAt(m.received_at, m.warnings_sent, policy),
				m.message_id,
			);
		this.store.remember("eventPolicy", key);
	}

	/** Up since the object first looked, kept from then on so that `since` does not move. */
	private health(): Health {
		const raw = this.store.recall("health");
		if (raw) return JSON.parse(raw) as Health;
		const first = initialHealth(this.clock.now());
		this.store.remember("health", JSON.stringify(first));
		return first;
	}
}

/** While down there is always a next probe; a missing one (first outage) is due now. */
function nextProbeDue(h: Health, stored: number | null): number | null {
	if (h.state !== "down") return null;
	return stored ?? h.since;
}

/** What an entry kept in memory weighs against SEARCHABLE_CHARS. */
const charsOf = (s: Searchable) => s.entry.body.length + s.entry.subject.length + s.entry.addresses.length;

/** The domain's object. */
export function domainRelay(env: Env, domainName: string) {
	return env.DOMAIN.get(env.DOMAIN.idFromName(domainName));
}
