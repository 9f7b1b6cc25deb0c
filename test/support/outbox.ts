// The outbound path's far end in tests: a demo mail server (scripts/lib/downstream.ts) that
// keeps what it receives in memory, readable over HTTP from tests running inside workerd.
import { createServer, type Server } from "node:http";
import { type Arrived, type Downstream, startDownstream } from "../../scripts/lib/downstream";

export interface Outbox {
	smtp: Downstream;
	http: Server;
	controlUrl: string;
}

/** Listens for SMTP on `smtpPort` and answers `GET /messages?to=ADDRESS` with what arrived for it. */
export async function startOutbox(smtpPort: number): Promise<Outbox> {
	const captured: Arrived[] = [];
	const smtp = await startDownstream({ port: smtpPort, name: "outbox.test", onMessage: (m) => captured.push(m) });
	const http = createServer((req, res) => {
		const to = new URL(req.url ?? "/", "http://localhost").searchParams.get("to");
		res.setHeader("Content-Type", "application/json");
		res.end(
			JSON.stringify(
				captured.filter((m) => !to || m.to.includes(to)).map((m) => ({ from: m.from, to: m.to, raw: m.raw.toString("utf8") })),
			),
		);
	});
	await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
	const { port } = http.address() as { port: number };
	return { smtp, http, controlUrl: `http://127.0.0.1:${port}` };
}
