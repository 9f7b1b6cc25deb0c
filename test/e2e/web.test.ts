// The SPA in real headless Chromium against the local service: sign in, see held mail,
// open it, and confirm hostile HTML neither runs nor reaches the network.
import nodemailer from "nodemailer";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { browserStage, signInPage } from "./browser";
import { inbox, signIn as signInAs } from "./client";

const subject = `Quarterly numbers ${Date.now()}`;

const HOSTILE = [
	"From: Mallory <mallory@example.org>",
	"To: alice@acme.test",
	`Subject: ${subject}`,
	"Date: Fri, 27 Nov 2026 11:00:00 +0000",
	`Message-ID: <${crypto.randomUUID()}@example.org>`,
	"MIME-Version: 1.0",
	"Content-Type: text/html; charset=utf-8",
	"",
	'<p>Numbers inside.</p><script>alert("xss")</script><img src="http://198.51.100.1/pixel.gif" onerror="alert(1)">',
	'<a href="javascript:alert(2)">click</a><svg onload="alert(3)"></svg>',
	"",
].join("\r\n");

const stage = browserStage("web");

beforeAll(async () => {
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	await smtp.sendMail({ envelope: { from: "mallory@example.org", to: ["alice@acme.test"] }, raw: HOSTILE });
	await heldForAlice();
});

const phone = () => stage.pages.newPage({ viewport: { width: 375, height: 740 } });

/** acme.test is down: the message shows once the delivery engine has held it. */
async function heldForAlice() {
	const cookie = await signInAs(stage.service.url, "alice@acme.test");
	await vi.waitFor(async () => expect((await inbox(stage.service.url, cookie)).map((m) => m.subject)).toContain(subject), {
		timeout: 30_000,
		interval: 100,
	});
}

describe("the Emergency Inbox in Chromium", () => {
	it("serves the app with a strict Content-Security-Policy", async () => {
		const res = await fetch(`${stage.service.url}/`);
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Security-Policy")).toMatch(/script-src 'self'/);
		expect(res.headers.get("Content-Security-Policy")).toMatch(/frame-ancestors 'none'/);
	});

	it("shows a wrong password as a readable error", async () => {
		const page = await phone();
		await page.goto(`${stage.service.url}/login`);
		await page.getByLabel("Email address").fill("alice@acme.test");
		await page.getByLabel("Password").fill("not-the-password");
		await page.getByRole("button", { name: "Sign in" }).click();
		await expect(page.getByRole("alert").textContent()).resolves.toContain("The email address or password is wrong.");
	});

	it("signs alice in, lists her held mail and opens it with the hostile parts inert", async () => {
		const page = await phone();
		await signInPage(page, stage.service.url, "alice@acme.test");
		const row = page.getByText(subject);
		await row.waitFor();
		await row.click();
		await page.getByRole("heading", { name: subject }).waitFor();
		const frame = page.locator('iframe[title="Message body"]');
		expect(await frame.getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");
		await expect(page.frameLocator('iframe[title="Message body"]').getByText("Numbers inside.").textContent()).resolves.toBe(
			"Numbers inside.",
		);
		// Everything the frame would load or run has had its chance once it has loaded (no
		// dialog, no request elsewhere: checked after each test).
		await (await frame.elementHandle())?.contentFrame().then((f) => f?.waitForLoadState("load"));
		expect(stage.pages.leaked()).toEqual([]);
		await page.getByRole("button", { name: "Sign out" }).click();
		await page.waitForURL(/\/login/);
	});
});
