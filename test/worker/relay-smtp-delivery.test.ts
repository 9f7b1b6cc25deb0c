// The SMTP client against a real SMTP server (scripted), over the real cloudflare:sockets
// connect: transactions, per-recipient replies, several messages per connection.
import { describe, expect, it } from "vitest";
import { deliverSession } from "../../src/relay/smtp-client";
import type { Destination, OutgoingMessage } from "../../src/relay/types";
import { outgoing, type ScriptedServer, type SmtpScript, scriptedServer, TEST_TIMEOUTS } from "./relay-scripted";

const options = { heloName: "relay.test", timeouts: TEST_TIMEOUTS };
const decoder = new TextDecoder();

function at(server: ScriptedServer, extra: Partial<Destination> = {}): Destination {
	return { host: "127.0.0.1", port: server.port, tls: "off", ...extra };
}

async function deliver(script: SmtpScript, messages: OutgoingMessage[], extra: Partial<Destination> = {}) {
	const server = await scriptedServer(script);
	const result = await deliverSession(at(server, extra), messages, options);
	const received = await server.messages();
	const connections = await server.connections();
	await server.stop();
	return { result, received, connections };
}

describe("deliverSession: accepted mail", () => {
	it("delivers the bytes exactly, with CRLF line ends and dots unstuffed by the server", async () => {
		const msg = outgoing("Subject: dots\n\n.hidden\nbare LF line\rbare CR line\r\n..two dots\n.\nlast line without break");
		const { result, received, connections } = await deliver({}, [msg]);
		expect(result.sessionError).toBeNull();
		expect(result.results).toEqual([
			{ id: msg.id, recipients: { "alice@customer.test": { kind: "delivered", code: 250, enhanced: "2.0.0", text: "queued" } } },
		]);
		expect(connections).toBe(1);
		expect(received).toHaveLength(1);
		expect(received[0]?.text).toBe(
			"Subject: dots\r\n\r\n.hidden\r\nbare LF line\r\nbare CR line\r\n..two dots\r\n.\r\nlast line without break\r\n",
		);
		expect(received[0]?.from).toBe("sender@example.org");
		expect(received[0]?.to).toEqual(["alice@customer.test"]);
		expect(result.remoteMta).toBe("mx.scripted.test");
		expect(result.tls).toBe(false);
	});

	it("keeps 8-bit bytes unchanged and declares BODY=8BITMIME", async () => {
		const raw = new Uint8Array([...new TextEncoder().encode("Subject: caf\u00e9\r\n\r\n"), 0xe9, 0xff, 0x80, 0x0d, 0x0a]);
		const { result, received } = await deliver({}, [outgoing(raw)]);
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect([...(received[0]?.raw ?? [])]).toEqual([...raw]);
		expect(result.transcript).toContain("C: MAIL FROM:<sender@example.org> BODY=8BITMIME");
	});

	it("delivers a message larger than one write chunk byte for byte", async () => {
		const line = ".0123456789abcdefghijklmnopqrstuvwxyz\n";
		const raw = `Subject: big\n\n${line.repeat(10_000)}`;
		const { result, received } = await deliver({}, [outgoing(raw)]);
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(received[0]?.text).toBe(raw.replaceAll("\n", "\r\n"));
	});

	it("sends the null reverse-path as MAIL FROM:<>", async () => {
		const { result, received } = await deliver({}, [outgoing("Subject: bounce\r\n\r\nx\r\n", ["alice@customer.test"], "")]);
		expect(result.transcript).toContain("C: MAIL FROM:<>");
		expect(received[0]?.from).toBe("");
	});

	it("keeps the transcript free of message content", async () => {
		const { result } = await deliver({}, [outgoing("Subject: secret plans\r\n\r\nthe body\r\n")]);
		expect(result.transcript).toContain("C: <message body 35 bytes>");
		expect(result.transcript.join("\n")).not.toContain("secret plans");
	});

	it("adds SIZE=<bytes> when the server offers SIZE", async () => {
		const { result } = await deliver({ size: 10_000 }, [outgoing("Subject: s\n\nbody\n")]);
		expect(result.transcript).toContain("C: MAIL FROM:<sender@example.org> SIZE=20");
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
	});

	it("sends a non-ASCII address with SMTPUTF8 when offered", async () => {
		const { result, received } = await deliver({}, [outgoing("Subject: u\r\n\r\nx\r\n", ["j\u00f6rg@customer.test"])]);
		expect(result.transcript).toContain("C: MAIL FROM:<sender@example.org> SMTPUTF8");
		expect(result.results[0]?.recipients["j\u00f6rg@customer.test"]?.kind).toBe("delivered");
		expect(received[0]?.to).toEqual(["j\u00f6rg@customer.test"]);
	});

	it("refuses a non-ASCII address with 5.6.7 when SMTPUTF8 is not offered", async () => {
		const { result, received } = await deliver({ ehlo: "502 5.5.1 not implemented" }, [outgoing("x\r\n", ["j\u00f6rg@customer.test"])]);
		expect(result.results[0]?.recipients["j\u00f6rg@customer.test"]).toMatchObject({ kind: "permfail", enhanced: "5.6.7" });
		expect(received).toHaveLength(0);
	});

	it("refuses an envelope address that would inject a command, without sending it", async () => {
		const bad = "alice@customer.test>\r\nRSET";
		const { result, received } = await deliver({}, [outgoing("x\r\n", [bad, "bob@customer.test"])]);
		expect(result.results[0]?.recipients[bad]).toMatchObject({ kind: "permfail", code: 553, enhanced: "5.1.3" });
		expect(result.results[0]?.recipients["bob@customer.test"]?.kind).toBe("delivered");
		expect(received[0]?.to).toEqual(["bob@customer.test"]);
	});
});

describe("deliverSession: SMTP smuggling", () => {
	it("never ends DATA at a bare-LF or bare-CR dot: the server gets one message with all the text", async () => {
		const raw =
			"Subject: smuggle\r\n\r\nbefore\n.\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@customer.test>\r\nDATA\r\nforged\r\n.\nafter\r.\rend\r\n";
		const { result, received, connections } = await deliver({}, [outgoing(raw)]);
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(connections).toBe(1);
		expect(received).toHaveLength(1);
		expect(received[0]?.to).toEqual(["alice@customer.test"]);
		expect(received[0]?.text).toBe(
			"Subject: smuggle\r\n\r\nbefore\r\n.\r\nMAIL FROM:<evil@attacker.test>\r\nRCPT TO:<victim@customer.test>\r\nDATA\r\nforged\r\n.\r\nafter\r\n.\r\nend\r\n",
		);
	});
});

describe("deliverSession: per-recipient replies", () => {
	it("reports each recipient's RCPT reply and delivers to the accepted one", async () => {
		const msg = outgoing("Subject: two\r\n\r\nx\r\n", ["alice@customer.test", "bob@customer.test"]);
		const { result, received } = await deliver({ rcpt: { "bob@customer.test": "550 5.1.1 no such user" } }, [msg]);
		expect(result.results[0]?.recipients).toEqual({
			"alice@customer.test": { kind: "delivered", code: 250, enhanced: "2.0.0", text: "queued" },
			"bob@customer.test": { kind: "permfail", code: 550, enhanced: "5.1.1", text: "no such user" },
		});
		expect(received).toHaveLength(1);
		expect(received[0]?.to).toEqual(["alice@customer.test"]);
	});

	it("sends no message body when every RCPT is refused (pipelined DATA is refused by the server)", async () => {
		const msg = outgoing("Subject: none\r\n\r\nx\r\n", ["alice@customer.test", "bob@customer.test"]);
		const script = { rcpt: { "alice@customer.test": "450 4.2.1 mailbox busy", "bob@customer.test": "550 5.1.1 no such user" } };
		const { result, received } = await deliver(script, [msg]);
		expect(result.results[0]?.recipients).toEqual({
			"alice@customer.test": { kind: "tempfail", code: 450, enhanced: "4.2.1", text: "mailbox busy" },
			"bob@customer.test": { kind: "permfail", code: 550, enhanced: "5.1.1", text: "no such user" },
		});
		expect(received).toHaveLength(0);
		expect(result.transcript.some((l) => l.startsWith("C: <message body"))).toBe(false);
	});

	it("without PIPELINING sends no DATA when every RCPT is refused, and RSETs before the next MAIL", async () => {
		const first = outgoing("x\r\n", ["bob@customer.test"]);
		const second = outgoing("y\r\n", ["alice@customer.test"]);
		const script = { pipelining: false, rcpt: { "bob@customer.test": "550 5.1.1 no such user" } };
		const { result, received } = await deliver(script, [first, second]);
		expect(result.results[0]?.recipients["bob@customer.test"]?.kind).toBe("permfail");
		expect(result.results[1]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		const commands = result.transcript.filter((l) => l.startsWith("C: "));
		expect(commands).toEqual([
			"C: EHLO relay.test",
			"C: MAIL FROM:<sender@example.org>",
			"C: RCPT TO:<bob@customer.test>",
			"C: RSET",
			"C: MAIL FROM:<sender@example.org>",
			"C: RCPT TO:<alice@customer.test>",
			"C: DATA",
			"C: <message body 3 bytes>",
			"C: QUIT",
		]);
		expect(received).toHaveLength(1);
	});

	it("applies a MAIL FROM refusal to every recipient", async () => {
		const msg = outgoing("x\r\n", ["alice@customer.test", "bob@customer.test"]);
		const temp = await deliver({ mail: "451 4.3.0 try later" }, [msg]);
		expect(Object.values(temp.result.results[0]?.recipients ?? {})).toEqual([
			{ kind: "tempfail", code: 451, enhanced: "4.3.0", text: "try later" },
			{ kind: "tempfail", code: 451, enhanced: "4.3.0", text: "try later" },
		]);
		const perm = await deliver({ mail: "553 sender rejected" }, [msg]);
		expect(perm.result.results[0]?.recipients["bob@customer.test"]).toEqual({
			kind: "permfail",
			code: 553,
			enhanced: "5.0.0",
			text: "sender rejected",
		});
		expect(temp.received.length + perm.received.length).toBe(0);
	});

	it("applies a DATA refusal to the accepted recipients only", async () => {
		const msg = outgoing("x\r\n", ["alice@customer.test", "bob@customer.test"]);
		const script = { data: "451 4.3.1 insufficient storage", rcpt: { "bob@customer.test": "550 5.1.1 no such user" } };
		const { result, received } = await deliver(script, [msg]);
		expect(result.results[0]?.recipients).toEqual({
			"alice@customer.test": { kind: "tempfail", code: 451, enhanced: "4.3.1", text: "insufficient storage" },
			"bob@customer.test": { kind: "permfail", code: 550, enhanced: "5.1.1", text: "no such user" },
		});
		expect(received).toHaveLength(0);
	});

	it("applies the end-of-data reply to all accepted recipients", async () => {
		const msg = outgoing("x\r\n", ["alice@customer.test", "bob@customer.test"]);
		const perm = await deliver({ eod: "554 5.7.1 message refused as spam" }, [msg]);
		expect(Object.values(perm.result.results[0]?.recipients ?? {}).map((o) => [o.kind, o.code, o.enhanced])).toEqual([
			["permfail", 554, "5.7.1"],
			["permfail", 554, "5.7.1"],
		]);
		const temp = await deliver({ eod: "452 4.3.1 out of space" }, [msg]);
		expect(temp.result.results[0]?.recipients["alice@customer.test"]).toMatchObject({ kind: "tempfail", code: 452 });
		expect(perm.received.length + temp.received.length).toBe(0);
	});
});

describe("deliverSession: several messages per connection", () => {
	it("delivers N messages over one connection", async () => {
		const msgs = [outgoing("one\r\n"), outgoing("two\r\n"), outgoing("three\r\n")];
		const { result, received, connections } = await deliver({}, msgs);
		expect(result.results.map((r) => r.recipients["alice@customer.test"]?.kind)).toEqual(["delivered", "delivered", "delivered"]);
		expect(connections).toBe(1);
		expect(received.map((m) => m.text)).toEqual(["one\r\n", "two\r\n", "three\r\n"]);
		// A completed transaction needs no RSET before the next one.
		expect(result.transcript).not.toContain("C: RSET");
	});

	it("RSETs after a failed transaction before the next MAIL", async () => {
		const msgs = [outgoing("one\r\n", ["nobody@customer.test"]), outgoing("two\r\n")];
		const { result, received } = await deliver({ rcpt: { "nobody@customer.test": "550 5.1.1 unknown" } }, msgs);
		expect(result.results[1]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		const rset = result.transcript.indexOf("C: RSET");
		expect(rset).toBeGreaterThan(0);
		expect(result.transcript.indexOf("C: MAIL FROM:<sender@example.org>", rset)).toBeGreaterThan(rset);
		expect(received.map((m) => m.text)).toEqual(["two\r\n"]);
	});

	it("refuses a message over the server's SIZE with 552 5.3.4 without sending it, and goes on", async () => {
		const big = outgoing(`Subject: big\r\n\r\n${"x".repeat(2000)}\r\n`);
		const small = outgoing("Subject: small\r\n\r\nok\r\n");
		const { result, received } = await deliver({ size: 1000 }, [big, small]);
		expect(result.results[0]?.recipients["alice@customer.test"]).toMatchObject({ kind: "permfail", code: 552, enhanced: "5.3.4" });
		expect(result.results[1]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(result.transcript.filter((l) => l.startsWith("C: MAIL"))).toHaveLength(1);
		expect(received.map((m) => m.text)).toEqual(["Subject: small\r\n\r\nok\r\n"]);
	});
});

describe("deliverSession: the connection ends mid-session", () => {
	it("a 421 tempfails the current and all remaining messages", async () => {
		const msgs = [outgoing("one\r\n"), outgoing("two\r\n", ["alice@customer.test", "closer@customer.test"]), outgoing("three\r\n")];
		const { result, received } = await deliver({ rcpt: { "closer@customer.test": "421 4.3.2 shutting down" } }, msgs);
		expect(result.sessionError).toBeNull();
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		const closed = { kind: "tempfail", code: 421, enhanced: "4.3.2", text: "shutting down" };
		expect(result.results[1]?.recipients).toEqual({ "alice@customer.test": closed, "closer@customer.test": closed });
		expect(result.results[2]?.recipients).toEqual({ "alice@customer.test": closed });
		expect(received.map((m) => m.text)).toEqual(["one\r\n"]);
	});

	it("a hang-up after the end of data tempfails that message and the rest", async () => {
		const msgs = [outgoing("one\r\n"), outgoing("two\r\n")];
		const { result } = await deliver({ hangupAfter: "eod" }, msgs);
		for (const r of result.results) {
			expect(r.recipients["alice@customer.test"]).toMatchObject({ kind: "tempfail", code: 0 });
			expect(r.recipients["alice@customer.test"]?.text).toMatch(/^connection lost/);
		}
		expect(result.transcript.at(-1)).toMatch(/^\* connection lost/);
	});

	it("a hang-up at RCPT tempfails the message", async () => {
		const msg = outgoing("x\r\n", ["alice@customer.test"]);
		const { result } = await deliver({ hangupAfter: "rcpt", pipelining: false }, [msg]);
		expect(result.results[0]?.recipients["alice@customer.test"]).toMatchObject({ kind: "tempfail", code: 0 });
	});

	it("a reply slower than the timeout is a tempfail (code 0) and the session ends", async () => {
		const server = await scriptedServer({ delayMs: { eod: 1500 } });
		const started = Date.now();
		const result = await deliverSession(at(server), [outgoing("one\r\n"), outgoing("two\r\n")], {
			...options,
			timeouts: { ...TEST_TIMEOUTS, dataTerm: 300 },
		});
		expect(Date.now() - started).toBeLessThan(1500);
		expect(result.results[0]?.recipients["alice@customer.test"]).toEqual({
			kind: "tempfail",
			code: 0,
			enhanced: null,
			text: "timeout after 0.3s waiting for the end-of-data reply",
		});
		expect(result.results[1]?.recipients["alice@customer.test"]).toMatchObject({ kind: "tempfail", code: 0 });
		await server.stop();
	});
});

describe("deliverSession: PIPELINING", () => {
	it("pipelines MAIL, RCPT and DATA in one write when offered", async () => {
		const { result } = await deliver({}, [outgoing("x\r\n", ["alice@customer.test", "bob@customer.test"])]);
		const i = result.transcript.indexOf("C: MAIL FROM:<sender@example.org>");
		expect(result.transcript.slice(i, i + 4)).toEqual([
			"C: MAIL FROM:<sender@example.org>",
			"C: RCPT TO:<alice@customer.test>",
			"C: RCPT TO:<bob@customer.test>",
			"C: DATA",
		]);
	});

	it("sends one command at a time without it", async () => {
		const { result, received } = await deliver({ pipelining: false }, [outgoing("x\r\n", ["alice@customer.test", "bob@customer.test"])]);
		const i = result.transcript.indexOf("C: MAIL FROM:<sender@example.org>");
		expect(result.transcript.slice(i, i + 8).map((l) => l.slice(0, 7))).toEqual([
			"C: MAIL",
			"S: 250 ",
			"C: RCPT",
			"S: 250 ",
			"C: RCPT",
			"S: 250 ",
			"C: DATA",
			"S: 354 ",
		]);
		expect(received[0]?.to).toEqual(["alice@customer.test", "bob@customer.test"]);
	});
});

describe("deliverSession: recovery", () => {
	it("a server failing its first connection accepts on the next session", async () => {
		const server = await scriptedServer({ greeting: "421 4.3.2 busy", failFirst: 1 });
		const first = await deliverSession(at(server), [outgoing("x\r\n")], options);
		expect(first.sessionError).toMatchObject({ kind: "tempfail", code: 421 });
		const second = await deliverSession(at(server), [outgoing("y\r\n")], options);
		expect(second.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(await server.connections()).toBe(2);
		expect((await server.messages()).map((m) => decoder.decode(m.raw))).toEqual(["y\r\n"]);
		await server.stop();
	});

	it("a down server comes back when its script is replaced", async () => {
		const server = await scriptedServer({ mail: "451 4.3.0 down" });
		const down = await deliverSession(at(server), [outgoing("x\r\n")], options);
		expect(down.results[0]?.recipients["alice@customer.test"]?.kind).toBe("tempfail");
		await server.setScript({});
		const up = await deliverSession(at(server), [outgoing("x\r\n")], options);
		expect(up.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		await server.stop();
	});
});
