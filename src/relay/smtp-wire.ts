// One SMTP connection over `cloudflare:sockets`: reads replies line by line, writes
// commands and data, each step under its own RFC 5321 timeout. Every network problem
// becomes a SessionAbort carrying a tempfail, so the client above deals in outcomes only.
import type { connect as socketsConnect } from "cloudflare:sockets";
import { tempfail } from "./outcome";
import { MAX_REPLY_BYTES, outcomeOf, protocolError, type Reply, ReplyAssembler, SessionAbort } from "./smtp-reply";
import type { Transcript } from "./smtp-transcript";

export type Connect = typeof socketsConnect;

const LF = 0x0a;
const CR = 0x0d;
const encoder = new TextEncoder();
// Replies are ASCII, or UTF-8 once SMTPUTF8 is in play; a stray invalid byte must not abort.
const decoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });

function seconds(ms: number): string {
	return `${ms / 1000}s`;
}

function reason(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

/** Rejects with a timeout tempfail when `p` takes longer than `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new SessionAbort(tempfail(`timeout after ${seconds(ms)} ${what}`))), ms);
	});
	try {
		return await Promise.race([p, timeout]);
	} finally {
		if (timer !== undefined) clearTimeout(timer);
	}
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
	if (a.length === 0) return b;
	const out = new Uint8Array(a.length + b.length);
	out.set(a);
	out.set(b, a.length);
	return out;
}

export class SmtpWire {
	private reader!: ReadableStreamDefaultReader<Uint8Array>;
	private writer!: WritableStreamDefaultWriter<Uint8Array>;
	private buffered: Uint8Array = new Uint8Array(0);
	private assembler = new ReplyAssembler();
	private closed = false;
	/** True once STARTTLS has upgraded the connection. */
	secure = false;

	private constructor(
		private socket: Socket,
		readonly transcript: Transcript,
	) {
		this.attach();
	}

	/** Connects; `starttls` leaves the connection able to upgrade later (required by startTls()). */
	static async open(
		connect: Connect,
		host: string,
		port: number,
		starttls: boolean,
		timeoutMs: number,
		transcript: Transcript,
	): Promise<SmtpWire> {
		transcript.note(`connecting to ${host}:${port}`);
		let socket: Socket;
		try {
			socket = connect({ hostname: host, port }, { secureTransport: starttls ? "starttls" : "off", allowHalfOpen: false });
		} catch (e) {
			throw new SessionAbort(tempfail(`cannot connect to ${host}:${port}: ${reason(e)}`));
		}
		try {
			await within(
				socket.opened.catch((e: unknown) => {
					throw new SessionAbort(tempfail(`cannot connect to ${host}:${port}: ${reason(e)}`));
				}),
				timeoutMs,
				`connecting to ${host}:${port}`,
			);
		} catch (e) {
			socket.close().catch(() => {});
			throw e;
		}
		return new SmtpWire(socket, transcript);
	}

	private attach(): void {
		this.reader = this.socket.readable.getReader() as ReadableStreamDefaultReader<Uint8Array>;
		this.writer = this.socket.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>;
	}

	/** Reads one complete reply. A 421 ends the session (RFC 5321 §3.8): it throws. */
	async readReply(timeoutMs: number, waitingFor: string): Promise<Reply> {
		const reply = await within(this.nextReply(waitingFor), timeoutMs, `waiting for ${waitingFor}`);
		if (reply.code === 421) throw new SessionAbort(outcomeOf(reply));
		return reply;
	}

	private async nextReply(waitingFor: string): Promise<Reply> {
		for (;;) {
			const nl = this.buffered.indexOf(LF);
			if (nl >= 0) {
				const end = nl > 0 && this.buffered[nl - 1] === CR ? nl - 1 : nl;
				const line = decoder.decode(this.buffered.subarray(0, end));
				this.buffered = this.buffered.subarray(nl + 1);
				this.transcript.server(line);
				const reply = this.assembler.push(line);
				if (reply) return reply;
				continue;
			}
			if (this.buffered.length > MAX_REPLY_BYTES) throw protocolError(`reply line longer than ${MAX_REPLY_BYTES} bytes`);
			let chunk: ReadableStreamReadResult<Uint8Array>;
			try {
				chunk = await this.reader.read();
			} catch (e) {
				throw new SessionAbort(tempfail(`connection lost waiting for ${waitingFor}: ${reason(e)}`));
			}
			if (chunk.done) throw new SessionAbort(tempfail(`connection lost: closed by the server while waiting for ${waitingFor}`));
			this.buffered = concat(this.buffered, chunk.value);
		}
	}

	/** Sends commands in one write (one command, or a PIPELINING group), logging `shown` for each. */
	async send(commands: { line: string; shown?: string }[], timeoutMs: number): Promise<void> {
		for (const c of commands) this.transcript.client(c.shown ?? c.line);
		await this.write(encoder.encode(commands.map((c) => `${c.line}\r\n`).join("")), timeoutMs, `sending ${commandName(commands)}`);
	}

	async write(bytes: Uint8Array, timeoutMs: number, doing: string): Promise<void> {
		const written = this.writer.write(bytes).catch((e: unknown) => {
			throw new SessionAbort(tempfail(`connection lost ${doing}: ${reason(e)}`));
		});
		await within(written, timeoutMs, doing);
	}

	/**
	 * Switches to TLS after the server's 220 to STARTTLS. Whatever arrived before the upgrade
	 * is thrown away (RFC 3207 §4.2): a man in the middle could have appended plaintext
	 * "replies" behind the 220 for us to read as if they came over TLS.
	 */
	upgrade(): void {
		if (this.buffered.length > 0) this.transcript.note(`discarded ${this.buffered.length} bytes sent before TLS`);
		this.reader.releaseLock();
		this.writer.releaseLock();
		this.socket = this.socket.startTls();
		this.attach();
		this.buffered = new Uint8Array(0);
		this.assembler = new ReplyAssembler();
		this.secure = true;
	}

	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.socket.close().catch(() => {});
	}
}

/** "MAIL", "RCPT", … for timeout texts; from the logged form, so credentials never appear. */
function commandName(commands: { line: string; shown?: string }[]): string {
	if (commands.length > 1) return "pipelined commands";
	const shown = commands[0]?.shown ?? commands[0]?.line ?? "";
	return shown === "***" ? "credentials" : (shown.split(/[ :]/)[0] ?? "");
}
