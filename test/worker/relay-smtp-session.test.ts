// Session set-up against a real (scripted) SMTP server: greeting, EHLO/HELO, STARTTLS
// policy, AUTH, and the health probe.
import { describe, expect, it } from "vitest";
import { deliverSession, probe } from "../../src/relay/smtp-client";
import type { Destination, OutgoingMessage } from "../../src/relay/types";
import { outgoing, type ScriptedServer, type SmtpScript, scriptedServer, TEST_TIMEOUTS } from "./relay-scripted";

const options = { heloName: "relay.test", timeouts: TEST_TIMEOUTS };

function at(server: ScriptedServer, extra: Partial<Destination> = {}): Destination {
	return { host: "127.0.0.1", port: server.port, tls: "off", ...extra };
}

async function deliver(script: SmtpScript, extra: Partial<Destination> = {}, messages: OutgoingMessage[] = [outgoing("x\r\n")]) {
	const server = await scriptedServer(script);
	const result = await deliverSession(at(server, extra), messages, options);
	const received = await server.messages();
	await server.stop();
	return { result, received };
}

const commands = (transcript: string[]) => transcript.filter((l) => l.startsWith("C: "));

describe("deliverSession: greeting", () => {
	it("421 at the greeting is a temporary session error; the message is not attempted", async () => {
		const { result } = await deliver({ greeting: "421 4.3.2 busy" });
		expect(result.sessionError).toEqual({ kind: "tempfail", code: 421, enhanced: "4.3.2", text: "busy" });
		expect(result.results[0]?.recipients["alice@customer.test"]).toEqual({ kind: "tempfail", code: 421, enhanced: "4.3.2", text: "busy" });
		expect(commands(result.transcript)).toEqual([]);
	});

	it("554 at the greeting is a permanent session error, but the messages only tempfail", async () => {
		const { result } = await deliver({ greeting: "554 no SMTP service here" });
		expect(result.sessionError).toEqual({ kind: "permfail", code: 554, enhanced: "5.0.0", text: "no SMTP service here" });
		expect(result.results[0]?.recipients["alice@customer.test"]).toEqual({
			kind: "tempfail",
			code: 554,
			enhanced: "4.0.0",
			text: "no SMTP service here",
		});
	});

	it("a server that hangs up after the greeting: tempfail, connection lost", async () => {
		const { result } = await deliver({ hangupAfter: "greeting" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", code: 0 });
		expect(result.sessionError?.text).toMatch(/^connection lost/);
	});

	it("a greeting slower than the timeout: tempfail with the wait named", async () => {
		const server = await scriptedServer({ delayMs: { greeting: 1500 } });
		const result = await deliverSession(at(server), [outgoing("x\r\n")], { ...options, timeouts: { ...TEST_TIMEOUTS, greeting: 300 } });
		expect(result.sessionError).toEqual({ kind: "tempfail", code: 0, enhanced: null, text: "timeout after 0.3s waiting for the greeting" });
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("tempfail");
		await server.stop();
	});

	it("takes the remote MTA name from a custom greeting", async () => {
		const { result } = await deliver({ greeting: "220 mail.customer.test ESMTP Postfix" });
		expect(result.remoteMta).toBe("mail.customer.test");
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
	});
});

describe("deliverSession: EHLO and HELO", () => {
	it("falls back to HELO when EHLO gets 502, and then uses no extensions", async () => {
		const { result, received } = await deliver({ ehlo: "502 5.5.1 command not implemented" }, {}, [
			outgoing("Subject: old server\r\n\r\n\u00e9\r\n"),
		]);
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(commands(result.transcript)).toEqual([
			"C: EHLO relay.test",
			"C: HELO relay.test",
			"C: MAIL FROM:<sender@example.org>",
			"C: RCPT TO:<alice@customer.test>",
			"C: DATA",
			"C: <message body 27 bytes>",
			"C: QUIT",
		]);
		expect(received).toHaveLength(1);
	});

	it("EHLO 4xx is a temporary session error, 5xx (other than 500/502) a permanent one", async () => {
		const temp = await deliver({ ehlo: "451 4.3.0 try later" });
		expect(temp.result.sessionError).toMatchObject({ kind: "tempfail", code: 451, enhanced: "4.3.0" });
		const perm = await deliver({ ehlo: "554 5.7.1 go away" });
		expect(perm.result.sessionError).toMatchObject({ kind: "permfail", code: 554, enhanced: "5.7.1" });
		expect(commands(perm.result.transcript)).toEqual(["C: EHLO relay.test"]);
	});

	it("a server that hangs up at EHLO: tempfail", async () => {
		const { result } = await deliver({ hangupAfter: "ehlo" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", code: 0 });
	});
});

describe("deliverSession: STARTTLS policy", () => {
	it("required, server without STARTTLS: tempfail 4.7.0 and no MAIL sent", async () => {
		const { result, received } = await deliver({}, { tls: "required" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", code: 0, enhanced: "4.7.0" });
		expect(result.sessionError?.text).toContain("STARTTLS");
		expect(commands(result.transcript)).toEqual(["C: EHLO relay.test"]);
		expect(received).toHaveLength(0);
		expect(result.tls).toBe(false);
	});

	it("required, server whose certificate does not validate: tempfail, never plaintext", async () => {
		const { result, received } = await deliver({ starttls: true }, { tls: "required" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", code: 0, enhanced: "4.7.0" });
		expect(result.sessionError?.text).toMatch(/^TLS handshake failed/);
		expect(commands(result.transcript).some((l) => l.startsWith("C: MAIL"))).toBe(false);
		expect(received).toHaveLength(0);
	});

	it("opportunistic, offered but the handshake fails: tempfail, no downgrade", async () => {
		const { result, received } = await deliver({ starttls: true }, { tls: "opportunistic" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", enhanced: "4.7.0" });
		expect(commands(result.transcript).some((l) => l.startsWith("C: MAIL"))).toBe(false);
		expect(received).toHaveLength(0);
	});

	it("opportunistic, not offered: delivered in plaintext", async () => {
		const { result, received } = await deliver({}, { tls: "opportunistic" });
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(result.tls).toBe(false);
		expect(received[0]?.tls).toBe(false);
	});

	it("off: never sends STARTTLS even when offered", async () => {
		const { result, received } = await deliver({ starttls: true }, { tls: "off" });
		expect(commands(result.transcript)).not.toContain("C: STARTTLS");
		expect(received).toHaveLength(1);
	});
});

describe("deliverSession: AUTH", () => {
	const auth = { user: "relay", pass: "s3cret-pass" };

	it("authenticates with AUTH PLAIN and keeps the credentials out of the transcript", async () => {
		const { result, received } = await deliver({ auth, authRequired: true }, { auth });
		expect(result.results[0]?.recipients["alice@customer.test"]?.kind).toBe("delivered");
		expect(received[0]?.auth).toBe("relay");
		expect(result.transcript).toContain("C: AUTH PLAIN ***");
		const all = result.transcript.join("\n");
		expect(all).not.toContain("s3cret-pass");
		expect(all).not.toContain(btoa("\0relay\0s3cret-pass"));
	});

	it("uses AUTH LOGIN when PLAIN is not offered, credentials elided", async () => {
		const { result, received } = await deliver({ auth, authRequired: true, authMethods: ["LOGIN"] }, { auth });
		expect(received[0]?.auth).toBe("relay");
		const i = result.transcript.indexOf("C: AUTH LOGIN");
		expect(result.transcript.slice(i, i + 5).map((l) => l.slice(0, 7))).toEqual(["C: AUTH", "S: 334 ", "C: ***", "S: 334 ", "C: ***"]);
		expect(result.transcript.join("\n")).not.toContain(btoa("s3cret-pass"));
	});

	it("535 is a permanent session error", async () => {
		const { result, received } = await deliver({ auth, authRequired: true }, { auth: { user: "relay", pass: "wrong" } });
		expect(result.sessionError).toMatchObject({ kind: "permfail", code: 535, enhanced: "5.7.8" });
		expect(result.results[0]?.recipients["alice@customer.test"]).toMatchObject({ kind: "tempfail", code: 535, enhanced: "4.7.8" });
		expect(received).toHaveLength(0);
	});

	it("refuses to send credentials in plaintext unless TLS is explicitly off", async () => {
		const { result, received } = await deliver({ auth, authRequired: true }, { auth, tls: "opportunistic" });
		expect(result.sessionError).toMatchObject({ kind: "tempfail", enhanced: "4.7.0" });
		expect(commands(result.transcript).some((l) => l.startsWith("C: AUTH"))).toBe(false);
		expect(received).toHaveLength(0);
	});
});

describe("probe", () => {
	it("a healthy server: delivered", async () => {
		const server = await scriptedServer();
		const result = await probe(at(server), options);
		expect(result).toMatchObject({ kind: "delivered", code: 250 });
		expect(commands(result.transcript)).toEqual(["C: EHLO relay.test", "C: QUIT"]);
		expect(await server.messages()).toHaveLength(0);
		await server.stop();
	});

	it("nothing listening: tempfail, code 0", async () => {
		const server = await scriptedServer();
		await server.stop();
		const result = await probe(at(server), options);
		expect(result).toMatchObject({ kind: "tempfail", code: 0 });
		expect(result.text).toMatch(/^cannot connect to 127\.0\.0\.1:/);
	});

	it("a 421 greeting: tempfail 421", async () => {
		const server = await scriptedServer({ greeting: "421 4.3.2 busy" });
		const result = await probe(at(server), options);
		expect(result).toMatchObject({ kind: "tempfail", code: 421, enhanced: "4.3.2", text: "busy" });
		await server.stop();
	});

	it("required TLS that does not work is not healthy", async () => {
		const server = await scriptedServer();
		const result = await probe(at(server, { tls: "required" }), options);
		expect(result).toMatchObject({ kind: "tempfail", enhanced: "4.7.0" });
		await server.stop();
	});
});
