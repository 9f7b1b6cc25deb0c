// What the domain's object puts on ei-outbound when the schedule decides: delay and failure
// DSNs for a spooled message, and the outage notice for the customer's admins. Pure: the
// object passes in the spool row, the outcome, its health and policy, and its clock's time.
import type { DsnJob, NotifyJob } from "../queue/messages";
import { describeOutcome } from "../relay/outcome";
import type { Outcome } from "../relay/types";
import type { Health } from "./health";
import { type DeliveryPolicy, expiresAt } from "./schedule";
import type { SpoolRow } from "./spool-sql";

type Spooled = Pick<SpoolRow, "message_id" | "recipient">;

/** "Still trying": the delay warning at `mark` seconds after arrival. */
export function delayedDsn(row: Spooled & Pick<SpoolRow, "received_at">, mark: number, health: Health, policy: DeliveryPolicy): DsnJob {
	return {
		kind: "dsn",
		messageId: row.message_id,
		recipient: row.recipient,
		action: "delayed",
		status: "4.4.1",
		mark,
		diagnostic: health.lastError,
		remoteMta: null,
		lastAttemptAt: health.lastProbeAt,
		willRetryUntil: expiresAt(row.received_at, policy.lifetimeSeconds),
	};
}

/** "Given up": refused for good by the server, expired, or bounced by an admin. */
export function failedDsn(row: Spooled, outcome: Outcome, remoteMta: string | null, now: number): DsnJob {
	return {
		kind: "dsn",
		messageId: row.message_id,
		recipient: row.recipient,
		action: "failed",
		status: outcome.enhanced ?? "5.0.0",
		mark: 0,
		diagnostic: describeOutcome(outcome),
		remoteMta,
		lastAttemptAt: now,
		willRetryUntil: null,
	};
}

/** The end of the lifetime: RFC 3463 4.4.7, with the last thing the server (or the probe) said. */
export function expiredOutcome(policy: DeliveryPolicy, health: Health): Outcome {
	const days = Math.round(policy.lifetimeSeconds / 86_400);
	return {
		kind: "permfail",
		code: 0,
		enhanced: "4.4.7",
		text: `delivery time expired: not delivered within ${days} days; ${health.lastError ?? ""}`.trim(),
	};
}

/** The domain went down or came back: its admins are told. */
export function outageNotice(domainId: string, health: Health, at: number): NotifyJob {
	return { kind: "notify", domainId, state: health.state, at, error: health.lastError };
}
