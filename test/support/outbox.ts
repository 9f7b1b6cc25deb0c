// The outbound path's far end in tests: a real SMTP server (npm smtp-server) that keeps what
// it receives in memory, readable over HTTP from tests running inside workerd.
import { createServer, type Server } from "node:http";
import { SMTPServer } from "smtp-server";

export interface Captured {
	from: string;
	to: string[];
	raw: string;
}

export interface Outbox {
	smtp: SMTPServer;
	http: Server;
	controlUrl: string;
}

/** Listens for SMTP on `smtpPort` and answers `GET /messages?to=ADDRESS` with what arrived for it. */
export async function startOutbox(smtpPort: number): Promise<Outbox> {
	const captured: Captured[] = [];
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ["STARTTLS", "AUTH"],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on("data", (c: Buffer) => chunks.push(c));
			stream.on("end", () => {
				captured.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
					to: session.envelope.rcptTo.map((r) => r.address),
					raw: Buffer.concat(chunks).toString("utf8"),
				});
				callback();
			});
		},
	});
	await new Promise<void>((resolve) => smtp.listen(smtpPort, "127.0.0.1", () => resolve()));
	const http = createServer((req, res) => {
		const url = new URL(req.url ?? "/", "http://localhost");
		const to = url.searchParams.get("to");
		res.setHeader("Content-Type", "application/json");
		res.end(JSON.stringify(captured.filter((m) => !to || m.to.includes(to))));
	});
	await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
	const { port } = http.address() as { port: number };
	return { smtp, http, controlUrl: `http://127.0.0.1:${port}` };
}
