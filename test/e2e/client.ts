// The API as a script would use it against `npm start`: sign in with a demo account, read
// a mailbox. Shared by the end-to-end tests.
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import type { MessageSummary } from "../../src/api/types";

export async function signIn(baseUrl: string, email: string): Promise<string> {
	const res = await fetch(`${baseUrl}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email, password: DEMO_PASSWORD }),
	});
	expect(res.status).toBe(200);
	return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

export async function inbox(baseUrl: string, cookie: string): Promise<MessageSummary[]> {
	const res = await fetch(`${baseUrl}/api/mailbox/messages?limit=200`, { headers: { Cookie: cookie } });
	expect(res.status).toBe(200);
	return ((await res.json()) as { messages: MessageSummary[] }).messages;
}
