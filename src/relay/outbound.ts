// The outbound path for mail we originate (DSNs, mail written in the Emergency Inbox): the
// customer's own smarthost when its domain names one; else a deployment-wide smarthost when
// OUTBOUND_SMTP names one (`npm start` points it at a local sink, tests at a test server);
// else Cloudflare Email Service through the send_email binding.
import { EmailMessage } from "cloudflare:email";
import { checkDestination } from "./destination";
import { tempfail } from "./outcome";
import { deliverSession } from "./smtp-client";
import type { Destination, Outcome } from "./types";

/**
 * `envelopeFrom` "" is the null reverse-path DSNs must use (RFC 3464 §2); the send_email
 * binding needs an address, so it gets `headerFrom` there.
 */
export async function sendOutbound(
	env: Env,
	envelopeFrom: string,
	headerFrom: string,
	to: string,
	raw: string,
	smarthost: Destination | null = null,
): Promise<Outcome> {
	const [host = "", port = "25"] = env.OUTBOUND_SMTP?.split(":") ?? [];
	const relay: Destination | null = smarthost ?? (env.OUTBOUND_SMTP ? { host, port: Number(port), tls: "off" } : null);
	if (relay) {
		const refused = smarthost ? checkDestination(smarthost, env.ENVIRONMENT) : null;
		if (refused) return tempfail(refused, "4.4.0");
		const session = await deliverSession(
			relay,
			[{ id: "outbound", from: envelopeFrom, to: [to], raw: async () => new TextEncoder().encode(raw) }],
			{
				heloName: env.RELAY_HOSTNAME,
			},
		);
		return session.results[0]?.recipients[to] ?? session.sessionError ?? tempfail("not attempted");
	}
	try {
		await env.SEND_EMAIL.send(new EmailMessage(envelopeFrom || headerFrom, to, raw));
		return { kind: "delivered", code: 250, enhanced: null, text: "sent through Email Service" };
	} catch (err) {
		// Email Service errors are not classified by code; retry, and let the queue's limit decide.
		return tempfail(err instanceof Error ? err.message : String(err));
	}
}
