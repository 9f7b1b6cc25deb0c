// SMTP delivery to the customer's server over `cloudflare:sockets`. Outcomes are data:
// nothing here throws to mean "try later"; every recipient of every message handed in
// comes back with delivered, tempfail or permfail.
import { connect } from "cloudflare:sockets";
import { tempfail } from "./outcome";
import { NO_EXTENSIONS } from "./smtp-extensions";
import { asTempfail, SessionAbort } from "./smtp-reply";
import { openSession, type Session } from "./smtp-session";
import { sendMessage } from "./smtp-transaction";
import { Transcript } from "./smtp-transcript";
import type { Connect } from "./smtp-wire";
import {
	type Destination,
	type MessageResult,
	type Outcome,
	type OutgoingMessage,
	type RelayTimeouts,
	RFC5321_TIMEOUTS,
	type SessionResult,
} from "./types";

export interface SessionOptions {
	/** Our name in EHLO/HELO: a fully qualified domain name or an address literal. */
	heloName: string;
	/** Overrides of the RFC 5321 §4.5.3.2 timeouts, in milliseconds. */
	timeouts?: Partial<RelayTimeouts>;
	/** Tests may inject a socket factory; the default is the platform's `connect`. */
	connect?: Connect;
}

/** The server gets this long to answer QUIT: the results are already in, nothing rides on it. */
const QUIT_WAIT_MS = 10_000;

const HELO_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$|^\[[0-9A-Fa-f:.IPv6]+\]$/;

/** A session not yet connected, with the options checked: shared by delivery, probes and discovery. */
export function newSession(dest: Destination, options: SessionOptions): Session {
	// A HELO name with CRLF in it would inject commands; this is a configuration bug, not an outcome.
	if (options.heloName.length > 255 || !HELO_NAME.test(options.heloName)) {
		throw new TypeError(`invalid heloName ${JSON.stringify(options.heloName)}`);
	}
	return {
		wire: null,
		ext: NO_EXTENSIONS,
		remoteMta: dest.host,
		hello: null,
		dirty: false,
		t: { ...RFC5321_TIMEOUTS, ...options.timeouts },
		transcript: new Transcript(),
	};
}

/** What ended the session, as an outcome; anything not already one is a network failure. */
export function failure(e: unknown, session: Session): Outcome {
	const outcome = e instanceof SessionAbort ? e.outcome : tempfail(`connection error: ${e instanceof Error ? e.message : String(e)}`);
	session.transcript.note(outcome.code === 0 ? outcome.text : `session ended: ${outcome.code} ${outcome.text}`);
	return outcome;
}

export async function quit(session: Session): Promise<void> {
	try {
		await session.wire?.send([{ line: "QUIT" }], session.t.command);
		await session.wire?.readReply(Math.min(session.t.command, QUIT_WAIT_MS), "the QUIT reply");
	} catch {
		// The transactions are over and recorded; a server that hangs up first changes nothing.
	}
}

function recipientsOf(msg: OutgoingMessage, outcomes: Map<string, Outcome>, missing: Outcome): Record<string, Outcome> {
	const out: Record<string, Outcome> = {};
	for (const r of msg.to) out[r] = outcomes.get(r) ?? missing;
	return out;
}

/**
 * Delivers `messages` over one connection, in order. Session-level failures (connect,
 * greeting, EHLO, TLS, AUTH) come back as `sessionError`, with every message tempfailed;
 * a 421, timeout or lost connection mid-way tempfails the current message's undecided
 * recipients and every message after it.
 */
export async function deliverSession(dest: Destination, messages: OutgoingMessage[], options: SessionOptions): Promise<SessionResult> {
	const session = newSession(dest, options);
	const results: MessageResult[] = messages.map((m) => ({ id: m.id, recipients: {} }));
	const finish = (sessionError: Outcome | null): SessionResult => ({
		results,
		sessionError,
		transcript: session.transcript.toArray(),
		remoteMta: session.remoteMta,
		tls: session.wire?.secure ?? false,
	});
	try {
		try {
			await openSession(session, dest, { heloName: options.heloName, connect: options.connect ?? connect, auth: true });
		} catch (e) {
			const sessionError = failure(e, session);
			const notTried = asTempfail(sessionError);
			messages.forEach((m, i) => {
				(results[i] as MessageResult).recipients = recipientsOf(m, new Map(), notTried);
			});
			return finish(sessionError);
		}
		let i = 0;
		let outcomes = new Map<string, Outcome>();
		try {
			for (; i < messages.length; i++) {
				const msg = messages[i] as OutgoingMessage;
				outcomes = new Map();
				await sendMessage(session, msg, outcomes);
				(results[i] as MessageResult).recipients = recipientsOf(msg, outcomes, tempfail("no reply for this recipient"));
			}
			await quit(session);
		} catch (e) {
			const lost = asTempfail(failure(e, session));
			for (let j = i; j < messages.length; j++) {
				const msg = messages[j] as OutgoingMessage;
				(results[j] as MessageResult).recipients = recipientsOf(msg, j === i ? outcomes : new Map(), lost);
			}
		}
		return finish(null);
	} finally {
		await session.wire?.close();
	}
}

/**
 * A health check: connect, greeting, EHLO, STARTTLS when the destination uses TLS, QUIT.
 * "delivered" means the server is taking sessions. No AUTH, so a probe every few minutes
 * cannot lock the mail account out.
 */
export async function probe(dest: Destination, options: SessionOptions): Promise<Outcome & { transcript: string[] }> {
	const session = newSession(dest, options);
	try {
		await openSession(session, dest, { heloName: options.heloName, connect: options.connect ?? connect, auth: false });
		await quit(session);
		const hello = session.hello ?? { kind: "delivered", code: 250, enhanced: "2.0.0", text: "" };
		return {
			...hello,
			text: `${session.remoteMta} is accepting sessions${session.wire?.secure ? " over TLS" : ""}`,
			transcript: session.transcript.toArray(),
		};
	} catch (e) {
		return { ...failure(e, session), transcript: session.transcript.toArray() };
	} finally {
		await session.wire?.close();
	}
}

/**
 * True when no connection could be made at all (refused, unreachable): unlike a timeout or a
 * 4xx, that is no blip, and the domain's health goes down at once.
 */
export function unreachable(o: Outcome): boolean {
	return o.code === 0 && o.text.startsWith("cannot connect to ");
}
