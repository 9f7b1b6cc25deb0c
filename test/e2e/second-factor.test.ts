// A second factor in headless Chromium (issue #12): admin@acme.test opens Security (the shield in
// the header), sets up an authenticator app (the key the page shows, turned into
// codes here with `otpauth` as a phone would), keeps her recovery codes, and the next sign-in
// asks for a code after the password; a recovery code works too, once; an administrator resets
// it when phone and codes are lost. At 375 px.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import type { CreatedPartner } from "../../src/api/types";
import { browserStage, codeAt, enrolAuthenticator, signInPage } from "./browser";
import { signIn as apiSignIn } from "./client";

const stage = browserStage("second-factor");

/** The password step; the page then asks for the second factor instead of signing in. */
async function passwordThenAsked(page: Page) {
	await page.goto(`${stage.service.url}/login`);
	await page.getByLabel("Email address").fill("admin@acme.test");
	await page.getByLabel("Password").fill(DEMO_PASSWORD);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	await page.getByLabel("Code from your authenticator app").waitFor();
}

describe("an authenticator app in Chromium", () => {
	it("is set up from the Security page and asked for at the next sign-in; a recovery code works once", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await signInPage(page, stage.service.url, "admin@acme.test");
		await page.getByRole("link", { name: "Security" }).click();
		await page.getByRole("heading", { name: "Security", level: 1 }).waitFor();
		await page.getByRole("button", { name: "Set up an authenticator app" }).click();
		await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
		const secret = ((await page.locator(".totp-secret").textContent()) ?? "").trim();
		expect(secret).toMatch(/^[A-Z2-7]{32}$/);
		await page.getByLabel("Code the app shows").fill("000000");
		await page.getByRole("button", { name: "Turn on" }).click();
		await page.getByRole("alert").getByText("Enter the 6-digit code your authenticator app shows now.").waitFor();
		await page.getByLabel("Code the app shows").fill(codeAt(secret));
		await page.getByRole("button", { name: "Turn on" }).click();
		await page.getByRole("heading", { name: "Your recovery codes" }).waitFor();
		const codes = await page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").allTextContents();
		expect(codes).toHaveLength(10);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		await page.getByRole("button", { name: "I have kept them" }).click();
		await page.getByText("10 of 10 recovery codes left.").waitFor();

		// Next time: the password, then the app's code (the next one: the last was used).
		const next = await stage.pages.newPage();
		await passwordThenAsked(next);
		await next.getByLabel("Code from your authenticator app").fill(codeAt(secret, Date.now() + 30_000));
		await next.getByRole("button", { name: "Continue" }).click();
		await next.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();

		// Without the phone: a recovery code, once.
		const lost = await stage.pages.newPage();
		await passwordThenAsked(lost);
		await lost.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
		await lost.getByLabel("Recovery code").fill(codes[0] as string);
		await lost.getByRole("button", { name: "Continue" }).click();
		await lost.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		const reused = await stage.pages.newPage();
		await passwordThenAsked(reused);
		await reused.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
		await reused.getByLabel("Recovery code").fill(codes[0] as string);
		await reused.getByRole("button", { name: "Continue" }).click();
		await reused
			.getByRole("alert")
			.getByText(/wrong or was used already/)
			.waitFor();

		// Phone and codes lost: an administrator resets it on the account's page (here her own).
		await next.goto(`${stage.service.url}/admin/users/acme-admin`);
		await next.getByText("Signs in with an authenticator app after the password.").waitFor();
		await next.getByRole("button", { name: "Reset authenticator app" }).click();
		await next.getByText("admin@acme.test signs in without an authenticator app now").waitFor();
		await next.getByText("No authenticator app is set up.").waitFor();
		const after = await stage.pages.newPage();
		await signInPage(after, stage.service.url, "admin@acme.test");
		await after.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
	});

	it("makes a new partner admin set one up before anything else", async () => {
		// The operator (who has one) creates a partner; its admin gets a one-time password.
		const operator = await apiSignIn(stage.service.url, "operator@demo.test");
		const email = `pam${Date.now().toString(36)}@newpartner.example`;
		const res = await fetch(`${stage.service.url}/api/operator/partners`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Cookie: operator },
			body: JSON.stringify({ name: "New Partner", adminEmail: email }),
		});
		expect(res.status).toBe(201);
		const { admin } = (await res.json()) as CreatedPartner;

		const page = await stage.pages.newPage();
		await signInPage(page, stage.service.url, email, admin.oneTimePassword);
		await page.waitForURL(/\/account\/security$/);
		await enrolAuthenticator(page);
		await page.waitForURL(/\/partner$/);
		await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
	});
});
