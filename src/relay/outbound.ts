// The outbound path for mail we originate (DSNs now; Emergency Inbox replies later):
// Cloudflare's send_email binding in production, or an SMTP smarthost when OUTBOUND_SMTP
// names one (`npm start` points it at a local sink, tests at a scripted server).
import { EmailMessage } from "cloudflare:email";
import { deliverSession } from "./smtp-client";
import type { Outcome } from "./types";

/**
 * `envelopeFrom` "" is the null reverse-path DSNs must use (RFC 3464 §2); the send_email
 * binding needs an address, so it gets `headerFrom` there.
 */
export async function sendOutbound(env: Env, envelopeFrom: string, headerFrom: string, to: string, raw: string): Promise<Outcome> {
	if (env.OUTBOUND_SMTP) {
		const [host = "", port = "25"] = env.OUTBOUND_SMTP.split(":");
		const session = await deliverSession(
			{ host, port: Number(port), tls: "off" },
			[{ id: "outbound", from: envelopeFrom, to: [to], raw: new TextEncoder().encode(raw) }],
			{
				heloName: env.RELAY_HOSTNAME,
			},
		);
		return (
			session.results[0]?.recipients[to] ?? session.sessionError ?? { kind: "tempfail", code: 0, enhanced: null, text: "not attempted" }
		);
	}
	try {
		await env.SEND_EMAIL.send(new EmailMessage(envelopeFrom || headerFrom, to, raw));
		return { kind: "delivered", code: 250, enhanced: null, text: "sent through Email Service" };
	} catch (err) {
		// Email Service errors are not classified by code; retry, and let the queue's limit decide.
		return { kind: "tempfail", code: 0, enhanced: null, text: err instanceof Error ? err.message : String(err) };
	}
}
