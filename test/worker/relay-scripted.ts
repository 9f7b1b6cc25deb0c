// Worker-side handle on a scripted SMTP server (test/support/scripted-smtp.ts), driven over
// the control API that test/worker/global-setup.ts starts. Each test makes its own server.
import { inject } from "vitest";
import type { ReceivedMessageJson, SmtpScript } from "../support/scripted-smtp-script";

export type { SmtpScript };

export interface ReceivedMessage {
	from: string;
	to: string[];
	raw: Uint8Array;
	/** `raw` decoded as UTF-8, for assertions on text. */
	text: string;
	tls: boolean;
	auth: string | null;
}

export interface ScriptedServer {
	id: string;
	port: number;
	messages(): Promise<ReceivedMessage[]>;
	connections(): Promise<number>;
	/** Every command verb the server received, in order ("EHLO", "MAIL", "RCPT", …). */
	commands(): Promise<string[]>;
	setScript(script: SmtpScript): Promise<void>;
	stop(): Promise<void>;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${inject("smtpControl")}${path}`, {
		method,
		...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
	});
	if (!res.ok) throw new Error(`scripted SMTP control ${method} ${path}: ${res.status} ${await res.text()}`);
	return (await res.json()) as T;
}

function fromBase64(text: string): Uint8Array {
	return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** Starts a fresh scripted SMTP server on 127.0.0.1; the empty script accepts everything. */
export async function scriptedServer(script: SmtpScript = {}): Promise<ScriptedServer> {
	const { id, port } = await call<{ id: string; port: number }>("POST", "/servers", script);
	return {
		id,
		port,
		async messages() {
			const list = await call<ReceivedMessageJson[]>("GET", `/servers/${id}/messages`);
			return list.map((m) => {
				const raw = fromBase64(m.raw);
				return { ...m, raw, text: new TextDecoder().decode(raw) };
			});
		},
		connections: () => call<number>("GET", `/servers/${id}/connections`),
		commands: () => call<string[]>("GET", `/servers/${id}/commands`),
		async setScript(next) {
			await call("POST", `/servers/${id}/script`, next);
		},
		async stop() {
			await call("DELETE", `/servers/${id}`);
		},
	};
}

/** Short RFC 5321 timeouts for tests: a stalled step fails in well under a second or two. */
export const TEST_TIMEOUTS = {
	connect: 2000,
	greeting: 2000,
	command: 2000,
	mail: 2000,
	rcpt: 2000,
	dataInit: 2000,
	dataBlock: 2000,
	dataTerm: 2000,
};

let counter = 0;

/** An outgoing message with a unique id; `raw` as text is UTF-8 encoded. */
export function outgoing(raw: string | Uint8Array, to: string[] = ["alice@customer.test"], from = "sender@example.org") {
	counter++;
	const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
	return { id: `msg-${counter}`, from, to, raw: async () => bytes };
}
