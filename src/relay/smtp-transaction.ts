// One mail transaction (RFC 5321 §3.3): MAIL FROM, RCPT TO per recipient, DATA, the
// message, and per-recipient outcomes. With PIPELINING (RFC 2920) the envelope and DATA
// go in one write and the replies are read back in order.
import { isAscii } from "../lib/ascii";
import { tempfail } from "./outcome";
import { canonicalSize, dataChunks, has8bit } from "./smtp-data";
import { asTempfail, expectOutcome, outcomeOf, type Reply, replyText, SessionAbort } from "./smtp-reply";
import type { Session } from "./smtp-session";
import type { SmtpWire } from "./smtp-wire";
import type { Outcome, OutgoingMessage } from "./types";

/**
 * Control characters, spaces and angle brackets would let an envelope address end the
 * command early and inject another (CRLF), or break out of the <path>. Quoted local parts
 * with spaces are legal but rare enough to refuse rather than parse.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point (CRLF injection).
const UNSAFE_IN_PATH = /[\u0000-\u0020\u007f<>]/;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 octets. */
const MAX_PATH = 256;

export function safePath(address: string): boolean {
	return new TextEncoder().encode(address).length <= MAX_PATH && !UNSAFE_IN_PATH.test(address);
}

function refused(code: number, enhanced: string, text: string): Outcome {
	return { kind: "permfail", code, enhanced, text };
}

/**
 * Tries one message; fills `outcomes` for every recipient it decided. A SessionAbort (421,
 * timeout, lost connection) leaves the undecided ones for the caller to fill.
 */
export async function sendMessage(session: Session, msg: OutgoingMessage, outcomes: Map<string, Outcome>): Promise<void> {
	const { ext, t } = session;
	const wire = session.wire as SmtpWire;
	const recipients = [...new Set(msg.to)];
	const decide = (who: string[], outcome: Outcome) => {
		for (const r of who) outcomes.set(r, outcome);
	};

	// Before anything goes on the wire: a message whose bytes are missing is not begun.
	let raw: Uint8Array | Outcome;
	try {
		raw = await msg.raw();
	} catch (e) {
		raw = tempfail(`cannot read the message: ${e instanceof Error ? e.message : String(e)}`, "4.3.0");
	}
	if (!(raw instanceof Uint8Array)) return decide(recipients, raw);

	if (msg.from !== "" && !safePath(msg.from)) {
		return decide(recipients, refused(553, "5.1.7", `invalid sender address ${JSON.stringify(msg.from)}`));
	}
	const valid: string[] = [];
	for (const r of recipients) {
		if (r !== "" && safePath(r)) valid.push(r);
		else outcomes.set(r, refused(553, "5.1.3", `invalid recipient address ${JSON.stringify(r)}`));
	}
	if (valid.length === 0) return;
	const utf8 = !isAscii(msg.from) || valid.some((a) => !isAscii(a));
	if (utf8 && !ext.smtpUtf8) {
		return decide(valid, refused(553, "5.6.7", "non-ASCII envelope address and the server does not offer SMTPUTF8"));
	}
	const size = canonicalSize(raw);
	if (ext.sizeLimit !== null && size > ext.sizeLimit) {
		return decide(valid, refused(552, "5.3.4", `message of ${size} bytes exceeds the server's SIZE limit of ${ext.sizeLimit} bytes`));
	}

	if (session.dirty) await reset(session);
	session.dirty = true;

	const params: string[] = [];
	if (ext.size) params.push(`SIZE=${size}`);
	// Without 8BITMIME on offer the body goes as it is: RFC 6152 would have us downgrade to
	// 7 bits, but rewriting a message we only relay breaks signatures, and servers
	// that skip the keyword accept 8-bit mail in practice (what Postfix does, too).
	if (ext.eightBitMime && has8bit(raw)) params.push("BODY=8BITMIME");
	if (utf8) params.push("SMTPUTF8");
	const mail = `MAIL FROM:<${msg.from}>${params.map((p) => ` ${p}`).join("")}`;

	let mailReply: Reply;
	const rcptReplies: Reply[] = [];
	let dataReply: Reply | null = null;
	if (ext.pipelining) {
		await wire.send([{ line: mail }, ...valid.map((r) => ({ line: `RCPT TO:<${r}>` })), { line: "DATA" }], t.command);
		mailReply = await wire.readReply(t.mail, "the MAIL FROM reply");
		for (const _ of valid) rcptReplies.push(await wire.readReply(t.rcpt, "the RCPT TO reply"));
		dataReply = await wire.readReply(t.dataInit, "the DATA reply");
	} else {
		await wire.send([{ line: mail }], t.command);
		mailReply = await wire.readReply(t.mail, "the MAIL FROM reply");
		if (mailReply.code >= 200 && mailReply.code < 300) {
			for (const r of valid) {
				await wire.send([{ line: `RCPT TO:<${r}>` }], t.command);
				rcptReplies.push(await wire.readReply(t.rcpt, "the RCPT TO reply"));
			}
			if (rcptReplies.some((r) => r.code >= 200 && r.code < 300)) {
				await wire.send([{ line: "DATA" }], t.command);
				dataReply = await wire.readReply(t.dataInit, "the DATA reply");
			}
		}
	}

	const mailOutcome = expectOutcome(mailReply, 2, "MAIL FROM");
	if (mailOutcome.kind !== "delivered") {
		decide(valid, mailOutcome);
		return abandonData(session, dataReply);
	}
	const accepted: string[] = [];
	valid.forEach((r, i) => {
		const outcome = expectOutcome(rcptReplies[i] as Reply, 2, "RCPT TO");
		if (outcome.kind === "delivered") accepted.push(r);
		else outcomes.set(r, outcome);
	});
	if (accepted.length === 0) return abandonData(session, dataReply);
	if (!dataReply) throw new Error("DATA was not sent although a recipient was accepted");
	const dataOutcome = expectOutcome(dataReply, 3, "DATA");
	if (dataOutcome.kind !== "delivered") return decide(accepted, dataOutcome);

	wire.transcript.client(`<message body ${size} bytes>`);
	for (const chunk of dataChunks(raw)) await wire.write(chunk, t.dataBlock, "sending the message body");
	const final = expectOutcome(await wire.readReply(t.dataTerm, "the end-of-data reply"), 2, "end of data");
	decide(accepted, final);
	session.dirty = final.kind !== "delivered";
}

/**
 * No recipient was accepted but a pipelined DATA got its 354 anyway: the server now waits
 * for content. Send none, just the terminator (RFC 2920 §3.1), and ignore the verdict.
 */
async function abandonData(session: Session, dataReply: Reply | null): Promise<void> {
	if (dataReply?.code !== 354) return;
	const wire = session.wire as SmtpWire;
	wire.transcript.note("no recipient accepted: ending DATA without content");
	await wire.write(new TextEncoder().encode(".\r\n"), session.t.dataBlock, "ending DATA");
	await wire.readReply(session.t.dataTerm, "the end-of-data reply");
}

/** RSET before the next MAIL FROM when the last transaction did not finish cleanly. */
export async function reset(session: Session): Promise<void> {
	const wire = session.wire as SmtpWire;
	await wire.send([{ line: "RSET" }], session.t.command);
	const reply = await wire.readReply(session.t.command, "the RSET reply");
	if (reply.code < 200 || reply.code >= 300) {
		throw new SessionAbort(asTempfail({ ...outcomeOf(reply), text: `RSET refused: ${replyText(reply)}` }));
	}
	session.dirty = false;
}
