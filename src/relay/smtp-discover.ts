// Recipient discovery: which addresses does the customer's own server know? We ask it the way
// any sending MTA finds out — MAIL FROM:<>, then RCPT TO per address — and never send DATA, so
// nothing is ever delivered. One session through the same connect/TLS/AUTH steps as delivery
// (smtp-session.ts), so the answers are the ones our deliveries would get; RSET ends each
// transaction, QUIT the session. Outcomes are data, as everywhere in the relay.
import { connect } from "cloudflare:sockets";
import { isAscii } from "../lib/ascii";
import { tempfail } from "./outcome";
import { failure, newSession, quit, type SessionOptions } from "./smtp-client";
import { expectOutcome, type Reply, SessionAbort } from "./smtp-reply";
import { openSession, type Session } from "./smtp-session";
import { reset, safePath } from "./smtp-transaction";
import type { SmtpWire } from "./smtp-wire";
import type { Destination, DiscoveryOutcome, Outcome } from "./types";

/**
 * RFC 5321 §4.5.3.1.8: a server must accept at least 100 recipients per transaction, so no
 * server may refuse a transaction this size for its size alone. One that still answers 452
 * (RFC 5321 §4.5.3.1.10, "too many recipients") gets the rest in the next transaction.
 */
export const RCPTS_PER_TRANSACTION = 100;

export interface DiscoverOptions extends SessionOptions {
	/** The whole run stops after this long (connect included); addresses not asked by then stay unasked. */
	budgetMs: number;
}

export interface DiscoveryRun {
	/** The server's reply to RCPT TO for each address asked. An address missing here was not asked. */
	replies: Map<string, Outcome>;
	/** Why the run ended before every address was asked (connect, TLS, AUTH, MAIL FROM, 421, timeout, budget), else null. */
	stoppedBy: Outcome | null;
	transcript: string[];
}

/** accepted: 250/251. refused: 550/551/553 with a 5.1.x (addressing) status. Anything else, 4xx included, says nothing for sure. */
export function discoveryOutcome(o: Pick<Outcome, "code" | "enhanced">): DiscoveryOutcome {
	if (o.code === 250 || o.code === 251) return "accepted";
	if ((o.code === 550 || o.code === 551 || o.code === 553) && o.enhanced?.startsWith("5.1.")) return "refused";
	return "unknown";
}

export async function discoverRecipients(dest: Destination, addresses: string[], options: DiscoverOptions): Promise<DiscoveryRun> {
	const session = newSession(dest, options);
	const deadline = Date.now() + options.budgetMs;
	// The budget caps every wait; a step's own RFC 5321 timeout still applies when it is shorter.
	const left = () => Math.max(1, deadline - Date.now());
	session.t = {
		...session.t,
		connect: Math.min(session.t.connect, options.budgetMs),
		greeting: Math.min(session.t.greeting, options.budgetMs),
	};
	const replies = new Map<string, Outcome>();
	let stoppedBy: Outcome | null = null;
	try {
		await openSession(session, dest, { heloName: options.heloName, connect: options.connect ?? connect, auth: true });
		// Addresses that cannot go into a command unchanged are not asked (the API refuses them first).
		const queue = [...new Set(addresses)].filter((a) => a !== "" && safePath(a) && (session.ext.smtpUtf8 || isAscii(a)));
		let perTransaction = RCPTS_PER_TRANSACTION;
		for (let i = 0; i < queue.length; ) {
			if (Date.now() >= deadline) {
				stoppedBy = tempfail(`stopped after ${options.budgetMs / 1000} s with ${queue.length - i} addresses not asked`);
				session.transcript.note(stoppedBy.text);
				break;
			}
			const batch = queue.slice(i, i + perTransaction);
			const asked = await transaction(session, batch, replies, left);
			// A 452 part-way tells us the server's own limit: keep to it from now on.
			if (asked < batch.length) perTransaction = asked;
			i += asked;
		}
		if (session.dirty) await reset(session);
		await quit(session);
	} catch (e) {
		stoppedBy = failure(e, session);
	} finally {
		await session.wire?.close();
	}
	return { replies, stoppedBy, transcript: session.transcript.toArray() };
}

/**
 * One transaction: MAIL FROM:<> and a RCPT TO per address (pipelined when offered), no DATA.
 * Returns how many addresses got an answer that counts; those after a 452 are asked again.
 */
async function transaction(session: Session, batch: string[], replies: Map<string, Outcome>, left: () => number): Promise<number> {
	const { ext, t } = session;
	const wire = session.wire as SmtpWire;
	if (session.dirty) await reset(session);
	session.dirty = true;
	const mail = `MAIL FROM:<>${ext.smtpUtf8 && batch.some((a) => !isAscii(a)) ? " SMTPUTF8" : ""}`;
	const read = (timeout: number, what: string) => wire.readReply(Math.min(timeout, left()), what);
	let mailReply: Reply;
	const rcptReplies: Reply[] = [];
	if (ext.pipelining) {
		await wire.send([{ line: mail }, ...batch.map((a) => ({ line: `RCPT TO:<${a}>` }))], Math.min(t.command, left()));
		mailReply = await read(t.mail, "the MAIL FROM reply");
		for (const _ of batch) rcptReplies.push(await read(t.rcpt, "the RCPT TO reply"));
	} else {
		await wire.send([{ line: mail }], Math.min(t.command, left()));
		mailReply = await read(t.mail, "the MAIL FROM reply");
		if (mailReply.code >= 200 && mailReply.code < 300) {
			for (const a of batch) {
				await wire.send([{ line: `RCPT TO:<${a}>` }], Math.min(t.command, left()));
				rcptReplies.push(await read(t.rcpt, "the RCPT TO reply"));
			}
		}
	}
	const mailOutcome = expectOutcome(mailReply, 2, "MAIL FROM");
	// A server that will not take the null sender answers no RCPT meaningfully: the run ends here.
	if (mailOutcome.kind !== "delivered") throw new SessionAbort({ ...mailOutcome, text: `MAIL FROM:<> refused: ${mailOutcome.text}` });
	let asked = 0;
	for (const [k, address] of batch.entries()) {
		const reply = rcptReplies[k] as Reply;
		if (reply.code === 452 && k > 0) break;
		replies.set(address, expectOutcome(reply, 2, "RCPT TO"));
		asked++;
	}
	return asked;
}
