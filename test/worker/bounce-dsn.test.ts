// DSNs are compared byte for byte with reviewed golden files, then parsed back as MIME, so a
// change to the builder shows up as a diff someone has to read against RFC 3464 and 6522.
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { buildDsn, type DsnInput, type DsnRecipient } from "../../src/bounce/dsn";
import { senderDsn } from "../../src/bounce/notice";
import { isAscii } from "../../src/lib/ascii";
import delayGolden from "../fixtures/dsn/delay.eml?raw";
import expiredGolden from "../fixtures/dsn/expired.eml?raw";
import failureGolden from "../fixtures/dsn/failure.eml?raw";
import mixedGolden from "../fixtures/dsn/mixed.eml?raw";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const arrival = new Date("2026-11-03T09:15:00Z");
const at = (ms: number) => new Date(arrival.getTime() + ms);

const headersWith = (subject: string) =>
	[
		"Return-Path: <sender@example.org>",
		"Received: from mail.example.org (mail.example.org [198.51.100.7])",
		"\tby emergency-inbox.example with ESMTPS id 01JC4Z5Q8W3N2V6K9T7R1M0ABC",
		"\tfor <alice@acme.test>; Tue, 03 Nov 2026 09:15:00 +0000",
		"From: Sam Sender <sender@example.org>",
		"To: Alice <alice@acme.test>, Bob <bob@acme.test>",
		`Subject: ${subject}`,
		"Date: Tue, 03 Nov 2026 10:14:58 +0100",
		"Message-ID: <20261103091458.4711@mail.example.org>",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"",
	].join("\r\n");
const originalHeaders = headersWith("=?UTF-8?Q?Angebot_f=C3=BCr_M=C3=A4rz?=");
const plainHeaders = headersWith("Quarterly figures");

const base = {
	reportingMta: "emergency-inbox.example",
	from: "Mail Delivery System <MAILER-DAEMON@emergency-inbox.example>",
	to: "sender@example.org",
	arrivalDate: arrival,
	originalHeaders,
	originalSubject: "Angebot für März",
};

const cases: Record<string, { input: DsnInput; golden: string }> = {
	delay: {
		golden: delayGolden,
		input: {
			...base,
			messageId: "<dsn-delay.01JC4Z5Q8W3N2V6K9T7R1M0ABC@emergency-inbox.example>",
			date: at(4 * HOUR),
			recipients: [
				{
					finalRecipient: "rfc822;alice@acme.test",
					action: "delayed",
					status: "4.4.1",
					remoteMta: "dns;mx.acme.test",
					diagnosticCode: "connect to mx.acme.test[192.0.2.25]:2525: connection refused",
					lastAttemptDate: at(3 * HOUR + 45 * MINUTE),
					willRetryUntil: at(30 * DAY),
				},
			],
			boundary: "=_dsn_delay",
		},
	},
	expired: {
		golden: expiredGolden,
		input: {
			...base,
			// Raw 8-bit bytes in a header, as some mailers still send: the part must stay 7-bit.
			originalHeaders: `${plainHeaders.slice(0, -2)}X-Mailer: Caf\xc3\xa9Mail 2.1\r\n\r\n`,
			originalSubject: "Quarterly figures",
			originalEnvelopeId: "QQ314159",
			messageId: "<dsn-expired.01JC4Z5Q8W3N2V6K9T7R1M0ABC@emergency-inbox.example>",
			date: at(30 * DAY + 5 * MINUTE),
			recipients: [
				{
					finalRecipient: "rfc822;alice@acme.test",
					action: "failed",
					status: "4.4.7",
					remoteMta: "dns;mx.acme.test",
					diagnosticCode: "smtp; 421 4.4.2 mx.acme.test Error: timeout exceeded",
					lastAttemptDate: at(30 * DAY),
				},
			],
			boundary: "=_dsn_expired",
		},
	},
	failure: {
		golden: failureGolden,
		input: {
			...base,
			// A body after the header block must never reach the DSN.
			originalHeaders: `${plainHeaders}Bob, the figures you asked for.\r\n`,
			originalSubject: "Quarterly figures",
			originalMessageId: "<20261103091458.4711@mail.example.org>",
			messageId: "<dsn-failure.01JC4Z5Q8W3N2V6K9T7R1M0ABC@emergency-inbox.example>",
			date: at(2 * MINUTE),
			recipients: [
				{
					originalRecipient: "rfc822;Bob@acme.test",
					finalRecipient: "rfc822;bob@acme.test",
					action: "failed",
					status: "5.1.1",
					remoteMta: "dns;mx.acme.test",
					diagnosticCode: "smtp; 550 5.1.1 <bob@acme.test>: Recipient address rejected: User unknown in virtual mailbox table",
					lastAttemptDate: at(MINUTE),
				},
			],
			boundary: "=_dsn_failure",
		},
	},
	mixed: {
		golden: mixedGolden,
		input: {
			...base,
			from: "Système de messagerie <MAILER-DAEMON@emergency-inbox.example>",
			to: "<sender@example.org>",
			messageId: "<dsn-mixed.01JC4Z5Q8W3N2V6K9T7R1M0ABC@emergency-inbox.example>",
			date: at(1 * DAY),
			recipients: [
				{
					finalRecipient: "rfc822;bob@acme.test",
					action: "failed",
					status: "5.1.1",
					remoteMta: "dns;mx.acme.test",
					diagnosticCode: "smtp; 550 5.1.1 <bob@acme.test>: Recipient address rejected: User unknown",
					lastAttemptDate: at(MINUTE),
				},
				{
					finalRecipient: "rfc822;alice@acme.test",
					action: "delayed",
					status: "4.2.2",
					remoteMta: "dns;mx.acme.test",
					diagnosticCode: "smtp; 452 4.2.2 <alice@acme.test>: Mailbox full",
					lastAttemptDate: at(23 * HOUR),
					willRetryUntil: at(30 * DAY),
				},
			],
			boundary: "=_dsn_mixed",
		},
	},
};

const utf8 = new TextDecoder();
// postal-mime hands parts back with LF line endings.
const partText = (content: string | ArrayBuffer | Uint8Array) => (typeof content === "string" ? content : utf8.decode(content));

describe("buildDsn golden files", () => {
	for (const [name, { input, golden }] of Object.entries(cases)) {
		it(`${name}.eml is byte-exact`, () => {
			const dsn = buildDsn(input);
			expect(dsn).toBe(golden);
		});

		it(`${name}.eml is 7-bit, CRLF-only, with no line over 78 characters`, () => {
			const dsn = buildDsn(input);
			expect(isAscii(dsn)).toBe(true);
			expect(dsn.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
			for (const line of dsn.split("\r\n")) expect(line.length, line).toBeLessThanOrEqual(78);
		});

		it(`${name}.eml parses back as a three-part multipart/report`, async () => {
			const email = await PostalMime.parse(buildDsn(input), { attachmentEncoding: "utf8" });
			expect(email.subject).toMatch(/^Delivery Status Notification \((Failure|Delay|Failure and delay)\)$/);
			expect(email.messageId).toBe(input.messageId);
			expect(email.to?.[0]?.address).toBe("sender@example.org");
			expect(email.headers.find((h) => h.key === "auto-submitted")?.value).toBe("auto-replied");
			expect(email.headers.find((h) => h.key === "content-type")?.value).toMatch(
				/^multipart\/report; report-type=delivery-status; boundary="/,
			);
			expect(email.text).toContain("This is an automatically generated message from emergency-inbox.example.");
			expect(email.attachments.map((a) => a.mimeType)).toEqual(["message/delivery-status", "text/rfc822-headers"]);

			const [status, headers] = email.attachments.map((a) => partText(a.content));
			expect(status).toContain("Reporting-MTA: dns; emergency-inbox.example\n");
			expect(status).toContain("Arrival-Date: Tue, 03 Nov 2026 09:15:00 +0000\n");
			for (const r of input.recipients) {
				const address = r.finalRecipient.replace(/^rfc822;/, "");
				expect(status).toContain(`Final-Recipient: rfc822; ${address}\nAction: ${r.action}\nStatus: ${r.status}\n`);
				expect(email.text).toContain(address);
			}
			expect(headers).toContain("Message-ID: <20261103091458.4711@mail.example.org>\n");
			expect(headers).not.toContain("figures you asked for");
		});
	}

	it("says the subject and the mixed outcome in people's words", async () => {
		const email = await PostalMime.parse(buildDsn(cases.mixed?.input as DsnInput));
		expect(email.from?.name).toBe("Système de messagerie");
		expect(email.text).toContain('Your message "Angebot für März" could not be delivered');
		expect(email.text).toContain("You do not need to resend it.");
		expect(email.subject).toBe("Delivery Status Notification (Failure and delay)");
	});

	it("keeps 8-bit bytes of the original headers through quoted-printable", async () => {
		const email = await PostalMime.parse(buildDsn(cases.expired?.input as DsnInput));
		const headers = email.attachments.find((a) => a.mimeType === "text/rfc822-headers");
		expect(Array.from(new Uint8Array(headers?.content as ArrayBuffer))).toContain(0xc3);
		expect(utf8.decode(headers?.content as ArrayBuffer)).toContain("X-Mailer: CaféMail 2.1\n");
	});
});

describe("senderDsn, the builder both DSN paths use", () => {
	const sameBoundary = (dsn: string) => dsn.replaceAll(/=_dsn_[0-9a-f]{32}/g, "=_dsn_fixed");
	const notice = {
		reportingMta: "emergency-inbox.example",
		mailerDomain: "acme.test",
		sender: "sender@example.org",
		id: "01JC4Z5Q8W3N2V6K9T7R1M0ABC",
		now: at(4 * HOUR).getTime(),
		receivedAt: arrival.getTime(),
		originalHeaders: plainHeaders,
		originalSubject: "Quarterly figures",
	};

	it("is buildDsn with our From, Message-ID and one recipient; null facts leave their fields out", () => {
		const dsn = senderDsn({
			...notice,
			recipient: {
				recipient: "alice@acme.test",
				action: "delayed",
				status: "4.4.1",
				remoteMta: null,
				diagnostic: "cannot connect to mx.acme.test:2525: connection refused",
				lastAttemptAt: at(3 * HOUR).getTime(),
				willRetryUntil: at(30 * DAY).getTime(),
			},
		});
		const expected = buildDsn({
			reportingMta: "emergency-inbox.example",
			from: "Mail Delivery System <MAILER-DAEMON@acme.test>",
			to: "sender@example.org",
			messageId: "<01JC4Z5Q8W3N2V6K9T7R1M0ABC.dsn@emergency-inbox.example>",
			date: at(4 * HOUR),
			arrivalDate: arrival,
			originalHeaders: plainHeaders,
			originalSubject: "Quarterly figures",
			recipients: [
				{
					finalRecipient: "alice@acme.test",
					action: "delayed",
					status: "4.4.1",
					diagnosticCode: "cannot connect to mx.acme.test:2525: connection refused",
					lastAttemptDate: at(3 * HOUR),
					willRetryUntil: at(30 * DAY),
				},
			],
		});
		expect(sameBoundary(dsn)).toBe(sameBoundary(expected));
		expect(dsn).not.toContain("Remote-MTA:");
	});
});

const valid: DsnInput = cases.failure?.input as DsnInput;
const withRecipient = (patch: Partial<DsnRecipient>): DsnInput => ({
	...valid,
	recipients: [{ ...(valid.recipients[0] as DsnRecipient), ...patch }],
});

describe("buildDsn input checks", () => {
	it("refuses an empty recipient list", () => {
		expect(() => buildDsn({ ...valid, recipients: [] })).toThrow(new TypeError("recipients must list at least one recipient"));
	});

	it.each(["5.1", "6.1.1", "5.1.1 ", "5.1.1\r\n", "x.1.1", "5.1234.1", ""])("refuses status %j", (status) => {
		expect(() => buildDsn(withRecipient({ status }))).toThrow(TypeError);
	});

	it("refuses a status whose class contradicts the action", () => {
		expect(() => buildDsn(withRecipient({ action: "delayed", status: "5.1.1" }))).toThrow(/does not fit action delayed/);
		expect(() => buildDsn(withRecipient({ action: "delivered", status: "4.4.1" }))).toThrow(TypeError);
	});

	it("refuses Will-Retry-Until on a recipient that is not delayed", () => {
		expect(() => buildDsn(withRecipient({ willRetryUntil: new Date() }))).toThrow(/only for action delayed/);
	});

	it("refuses to address the null reverse-path", () => {
		expect(() => buildDsn({ ...valid, to: "<>" })).toThrow(/never sent to <>/);
		expect(() => buildDsn({ ...valid, to: "" })).toThrow(/never sent to <>/);
	});

	it("refuses invalid dates and message ids", () => {
		expect(() => buildDsn({ ...valid, date: new Date(Number.NaN) })).toThrow(/date must be a valid Date/);
		expect(() => buildDsn({ ...valid, messageId: "no-angle-brackets" })).toThrow(/messageId/);
	});

	const injection = "x\r\nBcc: victim@example.net";
	it.each([
		["reportingMta", { ...valid, reportingMta: injection }],
		["from", { ...valid, from: injection }],
		["to", { ...valid, to: `sender@example.org\nBcc: victim@example.net` }],
		["messageId", { ...valid, messageId: `<a@b>${injection}` }],
		["originalEnvelopeId", { ...valid, originalEnvelopeId: injection }],
		["originalMessageId", { ...valid, originalMessageId: `<a@b>${injection}` }],
		["boundary", { ...valid, boundary: injection }],
		["finalRecipient", withRecipient({ finalRecipient: injection })],
		["originalRecipient", withRecipient({ originalRecipient: injection })],
		["remoteMta", withRecipient({ remoteMta: injection })],
		["diagnosticCode", withRecipient({ diagnosticCode: `smtp; 550 no\rX-Injected: yes` })],
	])("refuses CR or LF in %s (header injection)", (_field, input) => {
		expect(() => buildDsn(input)).toThrow(TypeError);
	});

	it("flattens line breaks in the subject, which only appears in the text", () => {
		const dsn = buildDsn({ ...valid, originalSubject: "Hello\r\nBcc: victim@example.net" });
		expect(dsn).toContain('Your message "Hello Bcc: victim@example.net"');
		expect(dsn).not.toMatch(/^Bcc:/m);
	});

	it("drops a malformed original Message-ID instead of failing the DSN", () => {
		const dsn = buildDsn({ ...valid, originalMessageId: "<not an id>" });
		expect(dsn).not.toContain("In-Reply-To:");
		expect(dsn).not.toContain("References:");
	});
});

describe("buildDsn encodings", () => {
	it("writes an internationalised recipient as RFC 6533 utf-8 xtext", () => {
		const dsn = buildDsn(withRecipient({ finalRecipient: "rfc822;jörg+tag@acme.test", originalRecipient: undefined }));
		expect(dsn).toContain("Final-Recipient: utf-8; j\\x{F6}rg\\x{2B}tag@acme.test\r\n");
	});

	it("keeps the machine-readable diagnostic ASCII", () => {
		const dsn = buildDsn(withRecipient({ diagnosticCode: "smtp; 550 5.1.1 Empfänger unbekannt" }));
		expect(dsn).toContain("Diagnostic-Code: smtp; 550 5.1.1 Empf?nger unbekannt\r\n");
		expect(isAscii(dsn)).toBe(true);
	});

	it("types a diagnostic that is no SMTP reply as our own", () => {
		const dsn = buildDsn(withRecipient({ diagnosticCode: "TLS handshake failed" }));
		expect(dsn).toContain("Diagnostic-Code: X-Emergency-Inbox; TLS handshake failed\r\n");
		expect(buildDsn(withRecipient({ diagnosticCode: "550 5.1.1 unknown" }))).toContain("Diagnostic-Code: smtp; 550 5.1.1 unknown\r\n");
	});

	it("leaves out the headers part when there are no original headers", async () => {
		const email = await PostalMime.parse(buildDsn({ ...valid, originalHeaders: "" }));
		expect(email.attachments.map((a) => a.mimeType)).toEqual(["message/delivery-status"]);
	});

	it("uses a fresh random boundary by default", () => {
		const a = buildDsn({ ...valid, boundary: undefined });
		const b = buildDsn({ ...valid, boundary: undefined });
		const boundary = (dsn: string) => /boundary="([^"]+)"/.exec(dsn)?.[1];
		expect(boundary(a)).toMatch(/^=_dsn_[0-9a-f]{32}$/);
		expect(boundary(a)).not.toBe(boundary(b));
	});

	it("refuses a boundary that occurs in the content", () => {
		const trap = `${plainHeaders.slice(0, -2)}X-Trap: --=_dsn_failure\r\n\r\n`;
		expect(() => buildDsn({ ...valid, originalHeaders: trap })).toThrow(/boundary occurs in the content/);
	});
});
