// A customer's mail server for the demo and the tests: a real SMTP server (npm smtp-server)
// that accepts everything (or, with `accepts`, only the recipients it knows: others get
// 550 5.1.1 at RCPT, as a server with a user directory answers). With `dir` it keeps each message as an .eml file (bytes as
// received) with its envelope beside it; `onMessage` sees each one as it arrives.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

export interface Arrived {
	from: string;
	to: string[];
	raw: Buffer;
}

export interface Downstream {
	port: number;
	dir: string | null;
	received(): number;
	close(): Promise<void>;
}

export interface DownstreamOptions {
	port: number;
	name: string;
	dir?: string;
	onMessage?: (message: Arrived) => void;
	log?: (line: string) => void;
	/** Which recipients exist here; default: every address. */
	accepts?: (address: string) => boolean;
}

export async function startDownstream(options: DownstreamOptions): Promise<Downstream> {
	const dir = options.dir ?? null;
	if (dir) mkdirSync(dir, { recursive: true });
	let count = 0;
	const server = new SMTPServer({
		name: options.name,
		authOptional: true,
		disabledCommands: ["STARTTLS", "AUTH"],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (options.accepts && !options.accepts(address.address.toLowerCase()))
				return callback(
					Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }),
				);
			callback();
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				const n = ++count;
				const message = {
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks),
				};
				if (dir) {
					const base = `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(n).padStart(5, "0")}`;
					writeFileSync(join(dir, `${base}.eml`), message.raw);
					writeFileSync(join(dir, `${base}.json`), JSON.stringify({ from: message.from, to: message.to }));
				}
				options.onMessage?.(message);
				options.log?.(`${options.name}: received <${message.from}> -> ${message.to.join(", ")}`);
				callback(null, "2.0.0 Stored");
			});
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port, "127.0.0.1", () => resolve());
	});
	return {
		port: options.port,
		dir,
		received: () => count,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
