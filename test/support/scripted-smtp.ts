// The customer's mail server in tests: a real SMTP server (npm `smtp-server`) whose replies
// follow a script, so a test can make it refuse, stall or hang up at any stage. What
// smtp-server cannot be made to do (answer EHLO with 502, reply to DATA with something
// else than 354, a custom 2xx greeting, stall before EHLO/DATA replies, hang up
// mid-session) a small raw `node:net` server in this file does instead.
//
// Node only. The worker tests (inside workerd) drive it over HTTP: see
// `startControlServer` and test/worker/global-setup.ts.
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { ReceivedMessageJson, SmtpScript, Stage } from "./scripted-smtp-script";

export type { ReceivedMessageJson, SmtpScript, Stage } from "./scripted-smtp-script";

export interface ReceivedMessage {
	from: string;
	to: string[];
	raw: Buffer;
	tls: boolean;
	/** The user that authenticated, if any. */
	auth: string | null;
}

export interface ScriptedSmtp {
	port: number;
	messages(): ReceivedMessage[];
	connections(): number;
	/** Every command verb the server received, in order ("EHLO", "MAIL", "RCPT", …); none for STARTTLS scripts. */
	commands(): string[];
	/** Replaces the script for connections from now on (a server that comes back, say). */
	setScript(script: SmtpScript): void;
	close(): Promise<void>;
}

const HOST_NAME = "mx.scripted.test";

/** Fields that make a connection fail; what `failFirst` drops for later connections. */
const FAILURES = ["greeting", "ehlo", "mail", "rcpt", "data", "eod", "delayMs", "hangupAfter"] as const;

function withoutFailures(script: SmtpScript): SmtpScript {
	const rest: SmtpScript = { ...script };
	for (const key of FAILURES) delete rest[key];
	return rest;
}

function needsRaw(script: SmtpScript): boolean {
	return (
		script.ehlo !== undefined ||
		script.data !== undefined ||
		script.hangupAfter !== undefined ||
		(script.delayMs?.ehlo ?? 0) > 0 ||
		(script.delayMs?.data ?? 0) > 0 ||
		(script.greeting?.startsWith("2") ?? false)
	);
}

function validate(script: SmtpScript): void {
	for (const s of script.failFirst ? [script, withoutFailures(script)] : [script]) {
		if (needsRaw(s) && (s.starttls || s.auth || s.authRequired)) {
			throw new Error("this script needs the raw server, which has no STARTTLS or AUTH: drop one of them");
		}
	}
}

function parseReply(line: string): { code: number; text: string } {
	const m = /^(\d{3})[ -]?(.*)$/.exec(line);
	if (!m) throw new Error(`script reply must start with a 3-digit code: ${JSON.stringify(line)}`);
	return { code: Number(m[1]), text: m[2] ?? "" };
}

function replyError(line: string): Error & { responseCode: number } {
	const { code, text } = parseReply(line);
	return Object.assign(new Error(text), { responseCode: code });
}

const sleep = (ms: number | undefined) => (ms ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * smtp-server's commands reach us only through its logger ("command" entries). With STARTTLS on
 * it would also print a warning about its built-in certificate, so those scripts log nothing.
 */
function commandLogger(script: SmtpScript, command: (verb: string) => void) {
	if (script.starttls) return false;
	const none = () => {};
	return {
		debug: (entry: { tnx?: string; command?: string }) => {
			if (entry?.tnx === "command" && entry.command) command(entry.command);
		},
		trace: none,
		info: none,
		warn: none,
		error: none,
		fatal: none,
	};
}

/** smtp-server configured from a script: the real protocol engine for everything it can express. */
function smtpServerFor(script: SmtpScript, record: (m: ReceivedMessage) => void, command: (verb: string) => void): SMTPServer {
	const disabled = [...(script.starttls ? [] : ["STARTTLS"]), ...(script.auth ? [] : ["AUTH"])];
	return new SMTPServer({
		name: HOST_NAME,
		logger: commandLogger(script, command),
		disableReverseLookup: true,
		// Replies carry exactly the enhanced codes the script gives, and none otherwise.
		hideENHANCEDSTATUSCODES: true,
		hidePIPELINING: script.pipelining === false,
		disabledCommands: disabled,
		authMethods: script.authMethods ?? ["PLAIN", "LOGIN"],
		authOptional: !script.authRequired,
		allowInsecureAuth: true,
		...(script.size ? { size: script.size } : {}),
		// Not in @types/smtp-server, but smtp-server enforces it (smtp-connection.js, RCPT).
		...((script.maxRecipients ? { maxRecipients: script.maxRecipients } : {}) as object),
		onConnect(_session, callback) {
			void sleep(script.delayMs?.greeting).then(() => callback(script.greeting ? replyError(script.greeting) : undefined));
		},
		onAuth(auth, _session, callback) {
			if (script.auth && auth.username === script.auth.user && auth.password === script.auth.pass) {
				return callback(null, { user: auth.username });
			}
			callback(replyError("535 5.7.8 authentication failed"));
		},
		onMailFrom(_address, _session, callback) {
			void sleep(script.delayMs?.mail).then(() =>
				callback(script.mail && !script.mail.startsWith("2") ? replyError(script.mail) : undefined),
			);
		},
		onRcptTo(address, _session, callback) {
			const reply = script.rcpt?.[address.address];
			void sleep(script.delayMs?.rcpt).then(() => callback(reply && !reply.startsWith("2") ? replyError(reply) : undefined));
		},
		onData(stream, session: SMTPServerSession, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				void sleep(script.delayMs?.eod).then(() => {
					if (script.eod && !script.eod.startsWith("2")) return callback(replyError(script.eod));
					record({
						from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
						to: session.envelope.rcptTo.map((r) => r.address),
						raw: Buffer.concat(chunks),
						tls: session.secure,
						auth: typeof session.user === "string" ? session.user : null,
					});
					callback(null, script.eod ? parseReply(script.eod).text : "2.0.0 queued");
				});
			});
		},
	});
}

/** The raw server: just enough SMTP to misbehave precisely. Plaintext, no AUTH. */
class RawSession {
	private buf = Buffer.alloc(0);
	private wake: (() => void) | null = null;
	private ended = false;

	constructor(
		private readonly socket: net.Socket,
		private readonly script: SmtpScript,
		private readonly record: (m: ReceivedMessage) => void,
		private readonly command: (verb: string) => void,
	) {
		socket.on("data", (d: Buffer) => {
			this.buf = Buffer.concat([this.buf, d]);
			this.wake?.();
		});
		socket.on("close", () => {
			this.ended = true;
			this.wake?.();
		});
		socket.on("error", () => {});
		void this.run().catch(() => socket.destroy());
	}

	private async more(): Promise<boolean> {
		if (this.ended) return false;
		await new Promise<void>((r) => {
			this.wake = r;
		});
		this.wake = null;
		return true;
	}

	private async line(): Promise<string | null> {
		for (;;) {
			const nl = this.buf.indexOf("\n");
			if (nl >= 0) {
				const line = this.buf.subarray(0, nl).toString("utf8").replace(/\r$/, "");
				this.buf = this.buf.subarray(nl + 1);
				return line;
			}
			if (!(await this.more())) return null;
		}
	}

	/** Everything up to CRLF.CRLF, dot-unstuffed. */
	private async data(): Promise<Buffer | null> {
		for (;;) {
			if (this.buf.subarray(0, 3).toString("latin1") === ".\r\n") {
				this.buf = this.buf.subarray(3);
				return Buffer.alloc(0);
			}
			const end = this.buf.indexOf("\r\n.\r\n");
			if (end >= 0) {
				const body = this.buf.subarray(0, end + 2).toString("latin1");
				this.buf = this.buf.subarray(end + 5);
				return Buffer.from(body.replace(/(^|\n)\./g, "$1"), "latin1");
			}
			if (!(await this.more())) return null;
		}
	}

	private send(reply: string): void {
		if (!this.socket.destroyed) this.socket.write(`${reply}\r\n`);
		if (reply.startsWith("421")) this.socket.end();
	}

	private async run(): Promise<void> {
		const s = this.script;
		const delay = (stage: Stage) => sleep(s.delayMs?.[stage]);
		const hangup = (stage: Stage) => {
			if (s.hangupAfter !== stage) return false;
			this.socket.destroy();
			return true;
		};
		await delay("greeting");
		if (s.greeting && !s.greeting.startsWith("2")) {
			this.send(s.greeting);
			this.socket.end();
			return;
		}
		this.send(s.greeting ?? `220 ${HOST_NAME} ESMTP scripted`);
		if (hangup("greeting")) return;
		let from: string | null = null;
		let to: string[] = [];
		for (;;) {
			const line = await this.line();
			if (line === null) return;
			const verb = (line.split(/[ :]/)[0] ?? "").toUpperCase();
			this.command(verb);
			const arg = (line.match(/<([^>]*)>/) ?? [])[1] ?? "";
			switch (verb) {
				case "EHLO": {
					if (hangup("ehlo")) return;
					await delay("ehlo");
					from = null;
					to = [];
					if (s.ehlo) {
						this.send(s.ehlo);
						break;
					}
					const ext = [
						...(s.pipelining === false ? [] : ["PIPELINING"]),
						"8BITMIME",
						"SMTPUTF8",
						"ENHANCEDSTATUSCODES",
						...(s.size ? [`SIZE ${s.size}`] : []),
					];
					this.send([`${HOST_NAME} hello`, ...ext].map((l, i, all) => `250${i < all.length - 1 ? "-" : " "}${l}`).join("\r\n"));
					break;
				}
				case "HELO":
					from = null;
					to = [];
					this.send(`250 ${HOST_NAME}`);
					break;
				case "MAIL": {
					if (hangup("mail")) return;
					await delay("mail");
					const size = Number(/\sSIZE=(\d+)/i.exec(line)?.[1] ?? 0);
					const reply = s.size && size > s.size ? "552 5.3.4 message too big" : (s.mail ?? "250 2.1.0 ok");
					if (reply.startsWith("2")) from = arg;
					this.send(reply);
					break;
				}
				case "RCPT": {
					if (hangup("rcpt")) return;
					await delay("rcpt");
					const reply = from === null ? "503 5.5.1 need MAIL first" : (s.rcpt?.[arg] ?? "250 2.1.5 ok");
					if (reply.startsWith("2")) to.push(arg);
					this.send(reply);
					break;
				}
				case "DATA": {
					if (hangup("data")) return;
					await delay("data");
					const reply = s.data ?? (to.length === 0 || from === null ? "554 5.5.1 no valid recipients" : "354 go ahead");
					this.send(reply);
					if (!reply.startsWith("354")) break;
					const raw = await this.data();
					if (raw === null || hangup("eod")) return;
					await delay("eod");
					const eod = s.eod ?? "250 2.0.0 queued";
					if (eod.startsWith("2") && from !== null) this.record({ from, to, raw, tls: false, auth: null });
					this.send(eod);
					from = null;
					to = [];
					break;
				}
				case "RSET":
					from = null;
					to = [];
					this.send("250 2.0.0 ok");
					break;
				case "NOOP":
					this.send("250 2.0.0 ok");
					break;
				case "QUIT":
					this.send("221 2.0.0 bye");
					this.socket.end();
					return;
				default:
					this.send("502 5.5.2 command not recognised");
			}
		}
	}
}

/** Starts a scripted SMTP server on a free 127.0.0.1 port. */
export async function startScriptedSmtp(initial: SmtpScript = {}): Promise<ScriptedSmtp> {
	validate(initial);
	const received: ReceivedMessage[] = [];
	const record = (m: ReceivedMessage) => received.push(m);
	const verbs: string[] = [];
	const command = (verb: string) => verbs.push(verb);
	const sockets = new Set<net.Socket>();
	let script = initial;
	let failing: SMTPServer;
	let healthy: SMTPServer;
	const configure = () => {
		failing = smtpServerFor(script, record, command);
		healthy = smtpServerFor(withoutFailures(script), record, command);
	};
	configure();
	let seen = 0;
	// failFirst counts from the latest script, so a replaced script starts failing afresh.
	let sinceScript = 0;

	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on("close", () => sockets.delete(socket));
		socket.on("error", () => {});
		seen++;
		const n = sinceScript++;
		const failNow = script.failFirst === undefined || n < script.failFirst;
		const effective = failNow ? script : withoutFailures(script);
		if (needsRaw(effective)) new RawSession(socket, effective, record, command);
		else (failNow ? failing : healthy).connect(socket, {});
	});
	server.listen(0, "127.0.0.1");
	await once(server, "listening");
	const port = (server.address() as net.AddressInfo).port;

	return {
		port,
		messages: () => [...received],
		connections: () => seen,
		commands: () => [...verbs],
		setScript(next) {
			validate(next);
			script = next;
			sinceScript = 0;
			configure();
		},
		async close() {
			for (const s of sockets) s.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

async function body(req: http.IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	const text = Buffer.concat(chunks).toString("utf8");
	return text ? JSON.parse(text) : {};
}

/**
 * HTTP control for tests that cannot run Node code (workerd):
 *   POST /servers {script} → {id, port}      GET /servers/:id/messages → ReceivedMessageJson[]
 *   GET /servers/:id/connections → number    POST /servers/:id/script {script} → {id, port}
 *   GET /servers/:id/commands → string[] (command verbs received)
 *   DELETE /servers/:id
 */
export async function startControlServer(): Promise<{ url: string; close(): Promise<void> }> {
	const servers = new Map<string, ScriptedSmtp>();
	let nextId = 1;
	const http_ = http.createServer((req, res) => {
		const send = (status: number, value: unknown) => {
			res.writeHead(status, { "Content-Type": "application/json" });
			res.end(JSON.stringify(value));
		};
		void (async () => {
			const parts = (req.url ?? "").split("?")[0]?.split("/").filter(Boolean) ?? [];
			if (parts[0] !== "servers") return send(404, { error: "not found" });
			if (parts.length === 1 && req.method === "POST") {
				const smtp = await startScriptedSmtp((await body(req)) as SmtpScript);
				const id = String(nextId++);
				servers.set(id, smtp);
				return send(201, { id, port: smtp.port });
			}
			const smtp = servers.get(parts[1] ?? "");
			if (!smtp) return send(404, { error: "no such server" });
			const id = parts[1] as string;
			if (parts.length === 2 && req.method === "DELETE") {
				servers.delete(id);
				await smtp.close();
				return send(200, { id });
			}
			if (parts[2] === "messages" && req.method === "GET") {
				return send(
					200,
					smtp.messages().map((m): ReceivedMessageJson => ({ ...m, raw: m.raw.toString("base64") })),
				);
			}
			if (parts[2] === "connections" && req.method === "GET") return send(200, smtp.connections());
			if (parts[2] === "commands" && req.method === "GET") return send(200, smtp.commands());
			if (parts[2] === "script" && req.method === "POST") {
				smtp.setScript((await body(req)) as SmtpScript);
				return send(200, { id, port: smtp.port });
			}
			send(404, { error: "not found" });
		})().catch((e: unknown) => send(400, { error: e instanceof Error ? e.message : String(e) }));
	});
	http_.listen(0, "127.0.0.1");
	await once(http_, "listening");
	const { port } = http_.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		async close() {
			await Promise.all([...servers.values()].map((s) => s.close()));
			servers.clear();
			http_.closeAllConnections();
			await new Promise<void>((resolve) => http_.close(() => resolve()));
		},
	};
}
