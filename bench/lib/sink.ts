// A counting SMTP sink for the benchmarks: a real SMTP server (npm smtp-server) like
// scripts/lib/downstream.ts, but it keeps messages in memory instead of writing files, so a
// bench measures the relay, not the disk. It counts connections, the most open at once and
// the sessions that carried mail, and stamps each message with when its DATA ended.
import { SMTPServer } from "smtp-server";

export interface SinkMessage {
	/** performance.now() when the message was accepted (end of DATA, before the 250). */
	at: number;
	/** The connection it came on. */
	session: string;
	from: string;
	to: string[];
	messageId: string | null;
	raw: Buffer;
}

export interface Sink {
	port: number;
	messages: SinkMessage[];
	/** Connections opened so far, with or without mail (a health probe is one too). */
	connections(): number;
	/** The most connections open at the same moment. */
	maxConcurrent(): number;
	/** Connections that delivered at least one message. */
	sessionsWithMail(): number;
	close(): Promise<void>;
}

/** The Message-ID in a message's header block (unfolded), or null. */
export function headerMessageId(raw: Buffer): string | null {
	const end = raw.indexOf("\r\n\r\n");
	const head = raw.subarray(0, end === -1 ? raw.length : end).toString("latin1");
	const m = /^Message-ID:[ \t]*(.*(?:\r\n[ \t].*)*)/im.exec(head);
	return m ? (m[1] as string).replace(/\r\n[ \t]+/g, " ").trim() : null;
}

export async function startSink(port: number, name = "sink.bench.test"): Promise<Sink> {
	const messages: SinkMessage[] = [];
	const withMail = new Set<string>();
	let connections = 0;
	let open = 0;
	let maxOpen = 0;
	const server = new SMTPServer({
		name,
		authOptional: true,
		disabledCommands: ["STARTTLS", "AUTH"],
		logger: false,
		// The relay and the floor both open at most a handful; the default cap would never bite,
		// but say so rather than let a limit shape the numbers silently.
		maxClients: 100,
		onConnect(_session, callback) {
			connections++;
			maxOpen = Math.max(maxOpen, ++open);
			callback();
		},
		onClose() {
			open--;
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				const raw = Buffer.concat(chunks);
				withMail.add(session.id);
				messages.push({
					at: performance.now(),
					session: session.id,
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
					to: session.envelope.rcptTo.map((r) => r.address),
					messageId: headerMessageId(raw),
					raw,
				});
				callback(null, "2.0.0 Accepted");
			});
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, "127.0.0.1", () => resolve());
	});
	return {
		port,
		messages,
		connections: () => connections,
		maxConcurrent: () => maxOpen,
		sessionsWithMail: () => withMail.size,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
