// ei-outbound consumer of a sign-in code request (POST /api/session/code): a new six-digit code
// for the account with that address, mailed to its alternate address, if there is such an
// account, enabled, of a company that allows codes, with an alternate address. Otherwise nothing
// is sent, and the page said the same either way. A code whose mail could not be sent is spent.
import { openDb } from "../db/client";
import { appendEvent, event } from "../db/events";
import { companyAllowsCodes, issueSigninCode, spendToken } from "../db/user-tokens";
import { findUserByEmail } from "../db/users";
import type { Clock } from "../lib/clock";
import { rfc5322Date } from "../lib/rfc5322-date";
import { newSigninCode, signinCodeHash } from "../lib/signin-codes";
import { mailToAlternate } from "./account-mail";
import type { SigninCodeJob } from "./messages";

export function signinCodeText(o: { email: string; code: string; until: string; signIn: string }): string {
	return [
		`Your code to sign in to the Emergency Inbox of ${o.email}:`,
		"",
		`    ${o.code}`,
		"",
		`It works once, until ${o.until}. Enter it at ${o.signIn}.`,
		"",
		"If you did not ask for it, ignore this message: without the code nobody can sign in, and it expires on its own.",
	].join("\n");
}

export async function sendSigninCode(job: SigninCodeJob, env: Env, clock: Clock): Promise<void> {
	const db = openDb(env.DB);
	const user = await findUserByEmail(db, job.address);
	// Codes are for the people of a company; partner and operator accounts sign in with their password.
	if (!user || user.disabledAt !== null || !user.customerId) return;
	const customerId = user.customerId;
	const audit = (kind: "auth.code_sent" | "auth.code_not_sent", detail: object) =>
		appendEvent(db, event(clock.now(), { customerId, actorUserId: user.id, kind, detail: { email: user.email, ...detail }, ip: job.ip }));
	if (!(await companyAllowsCodes(db, customerId)))
		return audit("auth.code_not_sent", { reason: "the company does not allow sign-in codes" });
	const to = user.alternateEmail;
	if (!to) return audit("auth.code_not_sent", { reason: "the user has no alternate address" });
	if (!env.CREDENTIALS_KEY) return audit("auth.code_not_sent", { reason: "CREDENTIALS_KEY is not configured" });

	const now = clock.now();
	const code = newSigninCode();
	const hash = await signinCodeHash(env.CREDENTIALS_KEY, user.id, code);
	const expiresAt = await issueSigninCode(db, user.id, hash, now);
	const text = signinCodeText({ email: user.email, code, until: rfc5322Date(new Date(expiresAt)), signIn: `${env.PUBLIC_URL}/login` });
	const outcome = await mailToAlternate(env, db, user, to, { subject: "Your Emergency Inbox sign-in code", text, tag: "code" }, now);
	if (outcome.kind === "delivered") return audit("auth.code_sent", { to, expiresAt: new Date(expiresAt).toISOString() });
	// Nobody received this code: it must not work.
	await spendToken(db, hash, clock.now());
	await audit("auth.code_not_sent", { to, reason: outcome.text.slice(0, 200) });
	// Not retried: a code that arrives minutes late is one the person has stopped waiting for;
	// they ask again, and the page says so.
}
