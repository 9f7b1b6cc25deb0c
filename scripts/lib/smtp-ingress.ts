// The local stand-in for Cloudflare Email Routing's SMTP edge: a real SMTP server
// (npm smtp-server) that hands each message, with its envelope, to the worker's email
// handler through wrangler's local endpoint, and answers the client with the worker's
// verdict: 250 when stored, the worker's own reject code and text, 451 when it failed.
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface IngressOptions {
	/** Base URL of the running worker, e.g. http://127.0.0.1:8787 */
	workerUrl: string;
	host?: string;
	port: number;
	maxBytes?: number;
	log?: (line: string) => void;
}

export interface Verdict {
	code: number;
	message: string;
}

/** SMTP errors carry their reply code in `responseCode`, which smtp-server sends as is. */
function smtpError(code: number, message: string): Error {
	return Object.assign(new Error(message), { responseCode: code });
}

/** Turns the local endpoint's answer into an SMTP reply. */
export async function verdictOf(res: Response): Promise<Verdict> {
	const text = await res.text();
	let body: { outcome?: string; rejectReason?: string } | null = null;
	try {
		body = JSON.parse(text);
	} catch {
		// Not JSON: wrangler refused the message before the worker ran (e.g. no Message-ID).
	}
	if (body?.outcome === "ok" && !body.rejectReason) return { code: 250, message: "2.0.0 Message accepted" };
	if (body?.rejectReason) {
		const m = /^([245]\d\d) (.*)$/s.exec(body.rejectReason);
		return m ? { code: Number(m[1]), message: m[2] as string } : { code: 550, message: `5.7.1 ${body.rejectReason}` };
	}
	if (body?.outcome) return { code: 451, message: "4.3.0 Temporary failure storing the message; try again later" };
	if (res.status >= 400 && res.status < 500) return { code: 550, message: `5.6.0 ${text.trim().slice(0, 200)}` };
	return { code: 451, message: `4.3.0 Worker unavailable (${res.status}); try again later` };
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

export async function startSmtpIngress(options: IngressOptions): Promise<SMTPServer> {
	const log = options.log ?? (() => {});
	const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
	const server = new SMTPServer({
		name: "ingress.emergency-inbox.local",
		banner: "Emergency Inbox local ingress (stands in for Cloudflare Email Routing)",
		size: maxBytes,
		authOptional: true,
		// Loopback only, no certificates: plain SMTP, as a local MTA would speak to a relay.
		disabledCommands: ["STARTTLS", "AUTH"],
		logger: false,
		onRcptTo(address, session: SMTPServerSession, callback) {
			// Email Routing runs the worker once per recipient, and its verdict only exists
			// after DATA, when SMTP has a single reply for the whole transaction. One recipient
			// per transaction keeps each verdict exact; RFC 5321 §4.5.3.1.10 has clients send
			// the others in a new transaction after 452.
			if (session.envelope.rcptTo.length >= 1) {
				return callback(smtpError(452, `4.5.3 One recipient per transaction here; send <${address.address}> separately`));
			}
			callback();
		},
		onData(stream, session, callback) {
			readAll(stream)
				.then(async (raw) => {
					if (stream.sizeExceeded) throw smtpError(552, `5.3.4 Message exceeds the fixed limit of ${maxBytes} bytes`);
					// The null sender (bounces) travels as "<>": the local endpoint insists on a value.
					const from = (session.envelope.mailFrom || undefined)?.address || "<>";
					const to = session.envelope.rcptTo[0]?.address ?? "";
					const url = new URL("/cdn-cgi/handler/email", options.workerUrl);
					url.searchParams.set("from", from);
					url.searchParams.set("to", to);
					url.searchParams.set("format", "json");
					const res = await fetch(url, { method: "POST", body: new Uint8Array(raw) }).catch(() => null);
					const verdict = res ? await verdictOf(res) : { code: 451, message: "4.3.0 Worker unreachable; try again later" };
					log(`ingress ${from} -> ${to}: ${verdict.code} ${verdict.message}`);
					if (verdict.code !== 250) throw smtpError(verdict.code, verdict.message);
					callback(null, verdict.message);
				})
				.catch((err: Error & { responseCode?: number }) =>
					callback(err.responseCode ? err : smtpError(451, "4.3.0 Local ingress error; try again later")),
				);
		},
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
	});
	return server;
}
