import { describe, expect, it } from "vitest";
import { MAX_HEADER_BLOCK } from "../../src/bounce/headers";
import { headerBlock, mayNotify } from "../../src/bounce/loop-guard";
import delayedDsn from "../fixtures/eml/enmime/dsn/delayed_dsn.raw?raw";
import simpleDsn from "../fixtures/eml/enmime/dsn/simple_dsn.raw?raw";

const ordinary = [
	"From: Sam Sender <sender@example.org>",
	"To: alice@acme.test",
	"Subject: Quarterly figures",
	"Message-ID: <1@example.org>",
	"Content-Type: multipart/mixed; boundary=x",
	"",
	"",
].join("\r\n");

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe("mayNotify", () => {
	it.each(["", "<>", " <> ", "< >"])("never notifies the null reverse-path %j", (from) => {
		expect(mayNotify(from, ordinary)).toEqual({ ok: false, reason: "null reverse-path <>" });
	});

	it("notifies the sender of an ordinary message", () => {
		expect(mayNotify("sender@example.org", ordinary)).toEqual({ ok: true });
	});

	it("does not answer automatic mail (RFC 3834)", () => {
		const auto = `Auto-Submitted: auto-replied\r\n${ordinary}`;
		expect(mayNotify("sender@example.org", auto)).toEqual({ ok: false, reason: "Auto-Submitted: auto-replied" });
		const folded = `auto-submitted:\r\n\tAuto-Generated (vacation)\r\n${ordinary}`;
		expect(mayNotify("sender@example.org", folded)).toEqual({ ok: false, reason: "Auto-Submitted: auto-generated" });
		const notified = `Auto-Submitted: auto-notified; owner-email="me@example.org"\r\n${ordinary}`;
		expect(mayNotify("sender@example.org", notified).ok).toBe(false);
	});

	it("answers mail that says Auto-Submitted: no", () => {
		expect(mayNotify("sender@example.org", `Auto-Submitted: No (a person wrote this)\r\n${ordinary}`)).toEqual({ ok: true });
	});

	it("answers list mail: its envelope sender processes bounces", () => {
		expect(mayNotify("list-bounces+alice=acme.test@lists.example.org", `Precedence: list\r\n${ordinary}`)).toEqual({ ok: true });
	});

	it("does not answer a DSN, even one with a real return path and LF line endings", () => {
		expect(mayNotify("owner-info-mime@cs.utk.edu", simpleDsn)).toEqual({
			ok: false,
			reason: "the message is a delivery status notification",
		});
		expect(mayNotify("owner-info-mime@cs.utk.edu", delayedDsn).ok).toBe(false);
	});

	it("does not answer a report from a mail system that names no report type", () => {
		const report = "From: MAILER-DAEMON@mx.example.org\nContent-Type: multipart/report; boundary=b\n\n";
		expect(mayNotify("bounces@mx.example.org", report)).toEqual({ ok: false, reason: "the message is a report from a mail system" });
		const feedback = "From: Ann <ann@example.org>\nContent-Type: multipart/report; report-type=feedback-report; boundary=b\n\n";
		expect(mayNotify("ann@example.org", feedback)).toEqual({ ok: true });
	});

	it("reads only the header block", () => {
		const body = `${ordinary}Auto-Submitted: auto-replied\r\nContent-Type: multipart/report; report-type=delivery-status\r\n`;
		expect(mayNotify("sender@example.org", body)).toEqual({ ok: true });
	});
});

describe("headerBlock", () => {
	it("ends at the empty line of a CRLF message", () => {
		expect(headerBlock(bytes("A: 1\r\nB: 2\r\n folded\r\n\r\nbody\r\n"))).toBe("A: 1\r\nB: 2\r\n folded\r\n");
	});

	it("ends at the empty line of an LF message", () => {
		expect(headerBlock(bytes("A: 1\nB: 2\n\nbody\n\nmore\n"))).toBe("A: 1\nB: 2\n");
	});

	it("takes the whole of a message without a body", () => {
		expect(headerBlock(bytes("A: 1\r\nB: 2\r\n"))).toBe("A: 1\r\nB: 2\r\n");
		expect(headerBlock(bytes("A: 1\r\nB: 2"))).toBe("A: 1\r\nB: 2");
		expect(headerBlock(bytes("\r\nbody only\r\n"))).toBe("");
		expect(headerBlock(new Uint8Array())).toBe("");
	});

	it("keeps every byte, one character each", () => {
		const raw = Uint8Array.from([0x58, 0x3a, 0x20, 0x80, 0xc3, 0xa9, 0xff, 0x0a, 0x0a, 0x41]);
		const block = headerBlock(raw);
		expect(Array.from(block, (c) => c.charCodeAt(0))).toEqual([0x58, 0x3a, 0x20, 0x80, 0xc3, 0xa9, 0xff, 0x0a]);
	});

	it(`stops at ${MAX_HEADER_BLOCK} bytes, at the start of the field that does not fit`, () => {
		const field = `X-Filler: ${"a".repeat(88)}\r\n`; // 100 bytes
		const fields = field.repeat(MAX_HEADER_BLOCK / 100 + 10);
		const block = headerBlock(bytes(`${fields}\r\nbody`));
		expect(block.length).toBe(Math.floor(MAX_HEADER_BLOCK / 100) * 100);
		expect(block.endsWith(field)).toBe(true);
	});

	it("never cuts a folded field in half", () => {
		const head = `A: ${"a".repeat(MAX_HEADER_BLOCK - 100)}\r\n`;
		const folded = `B: start\r\n${" continued\r\n".repeat(20)}`;
		expect(headerBlock(bytes(`${head}${folded}\r\n`))).toBe(head);
	});

	it("survives a header section of one endless line", () => {
		const raw = new Uint8Array(4 * 1024 * 1024).fill(0x61);
		expect(headerBlock(raw)).toBe("");
	});

	it("keeps a block that ends exactly at the cap", () => {
		const field = `X: ${"a".repeat(MAX_HEADER_BLOCK - 5)}\r\n`;
		expect(field.length).toBe(MAX_HEADER_BLOCK);
		expect(headerBlock(bytes(`${field}\r\nbody`))).toBe(field);
	});
});
