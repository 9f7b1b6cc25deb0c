// The pure parts of the SMTP client: data encoding, reply parsing, EHLO keywords.
import { describe, expect, it } from "vitest";
import { canonicalSize, dataChunks, has8bit } from "../../src/relay/smtp-data";
import { parseExtensions } from "../../src/relay/smtp-extensions";
import { MAX_REPLY_LINES, outcomeOf, type Reply, ReplyAssembler, SessionAbort } from "../../src/relay/smtp-reply";
import { Transcript } from "../../src/relay/smtp-transcript";

const enc = new TextEncoder();
const dec = new TextDecoder();

function wire(raw: string | Uint8Array, chunk?: number): string {
	const parts = [...dataChunks(typeof raw === "string" ? enc.encode(raw) : raw, chunk)];
	return parts.map((p) => dec.decode(p)).join("");
}

function reply(...lines: string[]): Reply {
	const a = new ReplyAssembler();
	let r: Reply | null = null;
	for (const l of lines) r = a.push(l);
	if (!r) throw new Error("incomplete");
	return r;
}

describe("dataChunks", () => {
	it("canonicalises line ends, dot-stuffs and terminates", () => {
		expect(wire("a\nb\rc\r\n.d\n..e")).toBe("a\r\nb\r\nc\r\n..d\r\n...e\r\n.\r\n");
		expect(wire("ends with break\r\n")).toBe("ends with break\r\n.\r\n");
		expect(wire("")).toBe(".\r\n");
		expect(wire(".")).toBe("..\r\n.\r\n");
	});

	it("turns bare-LF and bare-CR dot lines into stuffed ones (no early end of data)", () => {
		expect(wire("x\n.\r\ny\r\n.\nz\r.\r")).toBe("x\r\n..\r\ny\r\n..\r\nz\r\n..\r\n.\r\n");
	});

	it("gives the same bytes whatever the chunk size, and no chunk over it", () => {
		const raw = "line one\n.dot\r\n\r\n..\rlast\n".repeat(5);
		for (const size of [16, 17, 31, 64, 4096]) {
			const parts = [...dataChunks(enc.encode(raw), size)];
			expect(parts.every((p) => p.length <= size)).toBe(true);
			expect(parts.map((p) => dec.decode(p)).join("")).toBe(wire(raw));
		}
	});

	it("refuses a chunk size too small to hold the terminator", () => {
		expect(() => [...dataChunks(enc.encode("x"), 4)]).toThrow(RangeError);
	});

	it("counts the canonical size and spots 8-bit bytes", () => {
		expect(canonicalSize(enc.encode("a\nb\r\nc\r"))).toBe(9);
		expect(has8bit(enc.encode("plain"))).toBe(false);
		expect(has8bit(new Uint8Array([0x41, 0xe9]))).toBe(true);
	});
});

describe("replies", () => {
	it("assembles multi-line replies and reads the enhanced code", () => {
		const r = reply("550-5.1.1 The account does not", "550-5.1.1 exist. Please check", "550 5.1.1 the address.");
		expect(outcomeOf(r)).toEqual({
			kind: "permfail",
			code: 550,
			enhanced: "5.1.1",
			text: "The account does not exist. Please check the address.",
		});
	});

	it("infers X.0.0 when the server gives no enhanced code, and ignores one of the wrong class", () => {
		expect(outcomeOf(reply("451 try again"))).toMatchObject({ kind: "tempfail", enhanced: "4.0.0", text: "try again" });
		expect(outcomeOf(reply("250 ok"))).toMatchObject({ kind: "delivered", enhanced: "2.0.0" });
		expect(outcomeOf(reply("550 4.1.1 odd"))).toMatchObject({ enhanced: "5.0.0" });
		expect(outcomeOf(reply("250"))).toMatchObject({ code: 250, text: "" });
	});

	it("refuses malformed, inconsistent and endless replies as protocol errors", () => {
		expect(() => reply("hello")).toThrow(SessionAbort);
		expect(() => reply("250-a", "251 b")).toThrow(/reply code changed/);
		const a = new ReplyAssembler();
		expect(() => {
			for (let i = 0; i <= MAX_REPLY_LINES; i++) a.push("250-x");
		}).toThrow(/protocol error/);
	});

	it("parses EHLO keywords", () => {
		const ext = parseExtensions(
			reply("250-mx.example hello", "250-PIPELINING", "250-SIZE 1000", "250-AUTH=PLAIN LOGIN", "250-8BITMIME", "250 STARTTLS"),
		);
		expect(ext).toMatchObject({ esmtp: true, pipelining: true, size: true, sizeLimit: 1000, starttls: true, eightBitMime: true });
		expect(ext.auth).toEqual(["PLAIN", "LOGIN"]);
		expect(parseExtensions(reply("250-x", "250 SIZE"))).toMatchObject({ size: true, sizeLimit: null });
	});
});

describe("Transcript", () => {
	it("keeps the last lines and says how many it dropped", () => {
		const t = new Transcript(3);
		for (let i = 1; i <= 5; i++) t.client(`NOOP ${i}`);
		expect(t.toArray()).toEqual(["* 2 earlier lines dropped", "C: NOOP 3", "C: NOOP 4", "C: NOOP 5"]);
	});
});
