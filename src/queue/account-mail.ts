// Mail to a person about their own account (the welcome mail's link, a sign-in code): to their
// alternate address, since the company's own server may be the one that is down, through the
// user's domain's smarthost when it has one, from emergency-inbox@ that domain.
import type { Db } from "../db/client";
import { findDomainByName, smarthostOf } from "../db/domains";
import { newId } from "../lib/ids";
import { composeMessage } from "../mail/compose";
import { sendOutbound } from "../relay/outbound";
import type { Outcome } from "../relay/types";

export interface AccountMail {
	subject: string;
	text: string;
	/** In the Message-ID, so a log tells the kinds apart ("welcome", "code"). */
	tag: string;
}

export async function mailToAlternate(
	env: Env,
	db: Db,
	user: { email: string; displayName: string; customerId: string | null },
	to: string,
	mail: AccountMail,
	now: number,
): Promise<Outcome> {
	const domain = await findDomainByName(db, user.email.slice(user.email.lastIndexOf("@") + 1));
	const ours = domain && domain.customerId === user.customerId ? domain : undefined;
	const smarthost = ours ? await smarthostOf(ours, env.CREDENTIALS_KEY) : null;
	const from = `emergency-inbox@${ours?.name ?? env.RELAY_HOSTNAME}`;
	const raw = composeMessage({
		from: { name: "Emergency Inbox", addr: from },
		to: [{ name: user.displayName, addr: to }],
		cc: [],
		subject: mail.subject,
		text: mail.text,
		messageId: `<${newId(now)}.${mail.tag}@${env.RELAY_HOSTNAME}>`,
		date: new Date(now),
		inReplyTo: null,
		references: null,
		attachments: [],
	});
	return sendOutbound(env, from, from, to, raw, smarthost);
}
