// A customer's mail server for the demo: a real SMTP server (npm smtp-server) that keeps
// every message it accepts as an .eml file (bytes as received) with its envelope beside it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SMTPServer } from "smtp-server";

export interface Downstream {
	port: number;
	dir: string;
	received(): number;
	close(): Promise<void>;
}

export async function startDownstream(options: {
	port: number;
	dir: string;
	name: string;
	log?: (line: string) => void;
}): Promise<Downstream> {
	mkdirSync(options.dir, { recursive: true });
	let count = 0;
	const server = new SMTPServer({
		name: options.name,
		authOptional: true,
		disabledCommands: ["STARTTLS", "AUTH"],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				const n = ++count;
				const base = `${new Date().toISOString().replace(/[:.]/g, "-")}-${String(n).padStart(5, "0")}`;
				const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
				const to = session.envelope.rcptTo.map((r) => r.address);
				writeFileSync(join(options.dir, `${base}.eml`), Buffer.concat(chunks));
				writeFileSync(join(options.dir, `${base}.json`), JSON.stringify({ from, to }));
				options.log?.(`${options.name}: received <${from}> -> ${to.join(", ")} (${base}.eml)`);
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
		dir: options.dir,
		received: () => count,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
