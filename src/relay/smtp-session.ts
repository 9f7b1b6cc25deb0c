// Opening an SMTP session up to the first MAIL FROM: greeting, EHLO (HELO fallback),
// STARTTLS per the destination's policy, AUTH. Any failure throws a SessionAbort whose
// outcome the client reports as the session error.

import { tempfail } from "./outcome";
import { type Extensions, NO_EXTENSIONS, parseExtensions } from "./smtp-extensions";
import { expectOutcome, greetingHost, outcomeOf, type Reply, replyText, SessionAbort } from "./smtp-reply";
import type { Transcript } from "./smtp-transcript";
import { type Connect, SmtpWire } from "./smtp-wire";
import type { Destination, Outcome, RelayTimeouts } from "./types";

export interface Session {
	wire: SmtpWire | null;
	ext: Extensions;
	/** From the 220 greeting, else the destination host: DSN Remote-MTA. */
	remoteMta: string;
	/** The EHLO (or HELO) reply's outcome: what a probe reports when all is well. */
	hello: Outcome | null;
	/** A transaction was started and not completed: RSET before the next MAIL FROM. */
	dirty: boolean;
	t: RelayTimeouts;
	transcript: Transcript;
}

export interface OpenOptions {
	heloName: string;
	connect: Connect;
	/** Probes skip AUTH: a health check every few minutes must not lock the account out. */
	auth: boolean;
}

/** Turns a failed step into the session's end, keeping the outcome's reply code and text. */
function must(outcome: Outcome): void {
	if (outcome.kind !== "delivered") throw new SessionAbort(outcome);
}

function wireOf(session: Session): SmtpWire {
	if (!session.wire) throw new Error("session is not connected");
	return session.wire;
}

async function command(session: Session, line: string, waitingFor: string, shown?: string): Promise<Reply> {
	const wire = wireOf(session);
	await wire.send([{ line, shown }], session.t.command);
	return wire.readReply(session.t.command, waitingFor);
}

export async function openSession(session: Session, dest: Destination, options: OpenOptions): Promise<void> {
	const { t, transcript } = session;
	session.wire = await SmtpWire.open(options.connect, dest.host, dest.port, dest.tls !== "off", t.connect, transcript);
	const greeting = await session.wire.readReply(t.greeting, "the greeting");
	session.remoteMta = greetingHost(greeting) ?? dest.host;
	must(expectOutcome(greeting, 2, "the greeting"));
	session.ext = await hello(session, options.heloName);

	if (dest.tls !== "off") await startTls(session, dest, options.heloName);
	else transcript.note("TLS off for this destination");

	if (options.auth && dest.auth) await authenticate(session, dest, dest.auth);
}

/** EHLO; a server without ESMTP (500/502) gets HELO and then no extensions at all. */
async function hello(session: Session, heloName: string): Promise<Extensions> {
	const ehlo = await command(session, `EHLO ${heloName}`, "the EHLO reply");
	if (ehlo.code >= 200 && ehlo.code < 300) {
		session.hello = outcomeOf(ehlo);
		return parseExtensions(ehlo);
	}
	if (ehlo.code !== 500 && ehlo.code !== 502) {
		must(expectOutcome(ehlo, 2, "EHLO"));
	}
	const helo = await command(session, `HELO ${heloName}`, "the HELO reply");
	session.hello = expectOutcome(helo, 2, "HELO");
	must(session.hello);
	return NO_EXTENSIONS;
}

/**
 * "required": TLS or nothing; a missing or failed STARTTLS ends the session before any
 * envelope is sent. "opportunistic": TLS when offered; plaintext only when it is not
 * offered at all, never after an upgrade that went wrong.
 */
async function startTls(session: Session, dest: Destination, heloName: string): Promise<void> {
	const { transcript } = session;
	if (!session.ext.starttls) {
		if (dest.tls === "required") {
			throw new SessionAbort(tempfail("TLS is required for this destination but the server does not offer STARTTLS", "4.7.0"));
		}
		transcript.note("server does not offer STARTTLS: continuing without TLS (opportunistic)");
		return;
	}
	const reply = await command(session, "STARTTLS", "the STARTTLS reply");
	if (reply.code < 200 || reply.code >= 300) {
		throw new SessionAbort({ kind: "tempfail", code: reply.code, enhanced: "4.7.0", text: `STARTTLS refused: ${replyText(reply)}` });
	}
	try {
		wireOf(session).upgrade();
		transcript.note("TLS handshake started");
		// RFC 3207 §4.2: forget what the server said in plaintext and ask again.
		session.ext = await hello(session, heloName);
	} catch (e) {
		if (e instanceof SessionAbort && e.outcome.code !== 0) throw e;
		const why = e instanceof Error ? e.message : String(e);
		throw new SessionAbort(tempfail(`TLS handshake failed: ${why}`, "4.7.0"));
	}
	transcript.note("TLS established");
}

const encoder = new TextEncoder();

function base64(text: string): string {
	let s = "";
	for (const b of encoder.encode(text)) s += String.fromCharCode(b);
	return btoa(s);
}

/** AUTH PLAIN (one round trip) or LOGIN; 535 is a permanent session error, 4xx temporary. */
async function authenticate(session: Session, dest: Destination, auth: { user: string; pass: string }): Promise<void> {
	const { ext, transcript } = session;
	// The admin chose "off" explicitly; anything else must not leak credentials in clear.
	if (!wireOf(session).secure && dest.tls !== "off") {
		throw new SessionAbort(tempfail("refusing to send AUTH credentials without TLS (the server did not offer STARTTLS)", "4.7.0"));
	}
	if (ext.auth.length === 0) {
		transcript.note("credentials configured but the server does not offer AUTH: continuing without it");
		return;
	}
	let reply: Reply;
	if (ext.auth.includes("PLAIN")) {
		reply = await command(session, `AUTH PLAIN ${base64(`\0${auth.user}\0${auth.pass}`)}`, "the AUTH reply", "AUTH PLAIN ***");
	} else if (ext.auth.includes("LOGIN")) {
		reply = await command(session, "AUTH LOGIN", "the AUTH reply");
		if (reply.code === 334) reply = await command(session, base64(auth.user), "the AUTH reply", "***");
		if (reply.code === 334) reply = await command(session, base64(auth.pass), "the AUTH reply", "***");
	} else {
		throw new SessionAbort(tempfail(`the server offers AUTH ${ext.auth.join(" ")}; we support PLAIN and LOGIN only`, "4.7.0"));
	}
	if (reply.code === 334) {
		// The server wants another round we have nothing for: cancel (RFC 4954 §4).
		await command(session, "*", "the AUTH cancel reply");
		throw new SessionAbort(tempfail("AUTH: unexpected challenge from the server", "4.7.0"));
	}
	must(expectOutcome(reply, 2, "AUTH"));
	transcript.note("authenticated");
}
