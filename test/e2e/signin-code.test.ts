// Signing in with a one-time code in headless Chromium (issue #12): alice@acme.test has no
// password she remembers; the sign-in page mails a code to her alternate address (the local
// outbox keeps the .eml), she types it and is in her Emergency Inbox. The same code a second
// time is refused in the page's words, and the flow fits a 375 px phone.
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import { browserStage, outboxFor } from "./browser";

const wait = { timeout: 30_000, interval: 200 };
const ALICE_HOME = "alice.acme@example.net";

const stage = browserStage("signin-code");

async function lastCode(n: number): Promise<string> {
	await vi.waitFor(() => expect(outboxFor(stage, ALICE_HOME)).toHaveLength(n), wait);
	const mail = await PostalMime.parse(outboxFor(stage, ALICE_HOME).at(-1) as string);
	expect(mail.subject).toBe("Your Emergency Inbox sign-in code");
	return /^\s+(\d{6})\s*$/m.exec(mail.text ?? "")?.[1] ?? "";
}

describe("a sign-in code in Chromium", () => {
	it("mails a code to the alternate address, signs in with it once, and fits 375 px", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await page.goto(`${stage.service.url}/`);
		await page.waitForURL(/\/login/);
		await page.getByRole("button", { name: "No password? Email me a sign-in code" }).click();
		await page.getByText("We send a one-time code to the alternate address").waitFor();
		await page.getByLabel("Email address").fill("alice@acme.test");
		await page.getByRole("button", { name: "Send me a code" }).click();
		await page.getByRole("status").getByText("If alice@acme.test has an Emergency Inbox and an alternate address on file").waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

		const code = await lastCode(1);
		expect(code).toMatch(/^\d{6}$/);
		await page.getByLabel("Code from the email").fill(code);
		await page.getByRole("button", { name: "Sign in", exact: true }).click();
		await page.waitForURL(`${stage.service.url}/`);
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		const session = (await (await page.request.get(`${stage.service.url}/api/session`)).json()) as { user: { email: string } };
		expect(session.user.email).toBe("alice@acme.test");

		// The same code again, in a browser that is not signed in: refused, with the way out.
		const again = await stage.pages.newPage();
		await again.goto(`${stage.service.url}/login`);
		await again.getByRole("button", { name: "No password? Email me a sign-in code" }).click();
		await again.getByLabel("Email address").fill("alice@acme.test");
		await again.getByRole("button", { name: "Send me a code" }).click();
		// A second code is on its way, and the first no longer works.
		await lastCode(2);
		await again.getByLabel("Code from the email").fill(code);
		await again.getByRole("button", { name: "Sign in", exact: true }).click();
		await again.getByRole("alert").getByText("The code is wrong, expired or already used. Ask for a new one.").waitFor();
		await again.getByRole("button", { name: "Send a new code" }).waitFor();
	});
});
