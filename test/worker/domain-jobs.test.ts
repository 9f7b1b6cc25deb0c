// The pure parts of the domain object's queue traffic: DSN and notice jobs, and outcomes.
import { describe, expect, it } from "vitest";
import { type Health, initialHealth } from "../../src/domain/health";
import { delayedDsn, expiredOutcome, failedDsn, outageNotice } from "../../src/domain/jobs";
import type { DeliveryPolicy } from "../../src/domain/schedule";
import { describeOutcome, tempfail } from "../../src/relay/outcome";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const policy: DeliveryPolicy = { retrySchedule: [300, 900], delayWarnings: [14_400, 86_400], lifetimeSeconds: 30 * 86_400 };
const row = { message_id: "01JC4Z5Q8W3N2V6K9T7R1M0ABC", recipient: "alice@acme.test", received_at: 1_000 };
const down: Health = {
	...initialHealth(0),
	state: "down",
	since: 500,
	lastError: "cannot connect to mx.acme.test:2525: connection refused",
	lastProbeAt: 2 * HOUR,
};

describe("delay DSN jobs", () => {
	it("carry the mark, the last error and probe, and the end of the lifetime", () => {
		expect(delayedDsn(row, 14_400, down, policy)).toEqual({
			kind: "dsn",
			messageId: row.message_id,
			recipient: row.recipient,
			action: "delayed",
			status: "4.4.1",
			mark: 14_400,
			diagnostic: "cannot connect to mx.acme.test:2525: connection refused",
			remoteMta: null,
			lastAttemptAt: 2 * HOUR,
			willRetryUntil: 1_000 + 30 * DAY,
		});
	});
});

describe("failure DSN jobs", () => {
	it("keep the server's enhanced code and reply as the diagnostic", () => {
		const job = failedDsn(row, { kind: "permfail", code: 550, enhanced: "5.1.1", text: "no  such\r\nuser" }, "mx.acme.test", 7_000);
		expect(job).toEqual({
			kind: "dsn",
			messageId: row.message_id,
			recipient: row.recipient,
			action: "failed",
			status: "5.1.1",
			mark: 0,
			diagnostic: "550 5.1.1 no such user",
			remoteMta: "mx.acme.test",
			lastAttemptAt: 7_000,
			willRetryUntil: null,
		});
	});

	it("fall back to 5.0.0 without an enhanced code, and to the local text without a reply", () => {
		const job = failedDsn(row, { kind: "permfail", code: 0, enhanced: null, text: "the stored message body is missing" }, null, 7_000);
		expect(job).toMatchObject({ status: "5.0.0", diagnostic: "the stored message body is missing", remoteMta: null });
	});

	it("say 4.4.7 at the end of the lifetime, with the last error", () => {
		const expired = expiredOutcome(policy, down);
		expect(expired).toEqual({
			kind: "permfail",
			code: 0,
			enhanced: "4.4.7",
			text: "delivery time expired: not delivered within 30 days; cannot connect to mx.acme.test:2525: connection refused",
		});
		expect(failedDsn(row, expired, null, 7_000)).toMatchObject({ status: "4.4.7", diagnostic: expired.text });
		expect(expiredOutcome({ ...policy, lifetimeSeconds: 86_400 }, initialHealth(0)).text).toBe(
			"delivery time expired: not delivered within 1 days;",
		);
	});
});

describe("outage notices", () => {
	it("name the domain, the new state, when and why", () => {
		expect(outageNotice("dom1", down, 9_000)).toEqual({
			kind: "notify",
			domainId: "dom1",
			state: "down",
			at: 9_000,
			error: down.lastError,
		});
		expect(outageNotice("dom1", initialHealth(0), 9_000)).toEqual({
			kind: "notify",
			domainId: "dom1",
			state: "up",
			at: 9_000,
			error: null,
		});
	});
});

describe("outcomes", () => {
	it("tempfail: code 0, the enhanced code only when given", () => {
		expect(tempfail("not attempted")).toEqual({ kind: "tempfail", code: 0, enhanced: null, text: "not attempted" });
		expect(tempfail("no delivery destination configured", "4.4.0")).toEqual({
			kind: "tempfail",
			code: 0,
			enhanced: "4.4.0",
			text: "no delivery destination configured",
		});
	});

	it("describeOutcome: the reply on one line, or the local text alone", () => {
		expect(describeOutcome({ kind: "tempfail", code: 452, enhanced: null, text: "mailbox\r\n full" })).toBe("452 mailbox full");
		expect(describeOutcome(tempfail("timeout waiting for DATA reply", "4.4.2"))).toBe("timeout waiting for DATA reply");
	});
});
