// The API as a script would use it against `npm start`: sign in with a demo account, read
// a mailbox. Shared by the end-to-end tests.
import { expect } from "vitest";
import { DEMO_PASSWORD, DEMO_RECOVERY_CODES } from "../../scripts/lib/demo-tenant";
import type { MessageSummary } from "../../src/api/types";

/** Demo accounts with an authenticator (partners and operators must have one), and how many of their recovery codes this file used. */
const usedCodes = new Map<string, number>([
	["partner@demo.test", 0],
	["operator@demo.test", 0],
]);

/** The next unused demo recovery code of `email` (each signs in once), or null for an account without a second factor. */
export function nextDemoRecoveryCode(email: string): string | null {
	const used = usedCodes.get(email);
	if (used === undefined) return null;
	usedCodes.set(email, used + 1);
	return DEMO_RECOVERY_CODES[used] ?? null;
}

export async function signIn(baseUrl: string, email: string): Promise<string> {
	const post = (path: string, body: unknown, cookie = "") =>
		fetch(`${baseUrl}/api/session${path}`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Cookie: cookie },
			body: JSON.stringify(body),
		});
	let res = await post("", { email, password: DEMO_PASSWORD });
	expect(res.status).toBe(200);
	const code = nextDemoRecoveryCode(email);
	if (code) {
		const challenge = (res.headers.getSetCookie().find((c) => c.startsWith("ei_challenge=")) ?? "").split(";")[0] as string;
		res = await post("/second-factor", { recoveryCode: code }, challenge);
		expect(res.status).toBe(200);
	}
	return (res.headers.getSetCookie().find((c) => c.startsWith("ei_session=")) ?? "").split(";")[0] as string;
}

export async function inbox(baseUrl: string, cookie: string): Promise<MessageSummary[]> {
	const res = await fetch(`${baseUrl}/api/mailbox/messages?limit=200`, { headers: { Cookie: cookie } });
	expect(res.status).toBe(200);
	return ((await res.json()) as { messages: MessageSummary[] }).messages;
}
