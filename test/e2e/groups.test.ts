// The Groups page in headless Chromium against `npm start`'s service: admin@acme.test makes
// sales@acme.test with Alice in it by picking her from the company's users, mail to the group
// then lands in Alice's Emergency Inbox (acme.test is down in the demo), and deleting the group
// asks on the page, never in a browser dialog. At 375 px nothing scrolls sideways.
import nodemailer from "nodemailer";
import { describe, expect, it, vi } from "vitest";
import { browserStage, signInPage } from "./browser";
import { signIn as apiSignIn, inbox } from "./client";

const wait = { timeout: 30_000, interval: 200 };

const stage = browserStage("groups");

describe("the Groups page in Chromium", () => {
	it("creates a group by picking its members, mail to it reaches them, and deleting asks on the page", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 800 } });
		await signInPage(page, stage.service.url, "admin@acme.test");
		await page.goto(`${stage.service.url}/admin/groups`);
		await page.getByRole("heading", { name: "Groups", level: 1 }).waitFor();
		await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Groups" }).waitFor();

		await page.getByRole("button", { name: "New group" }).click();
		const form = page.getByRole("form", { name: "New group" });
		// A refusal is shown in the API's own words, on the field it names.
		await form.getByLabel("Address", { exact: true }).fill("sales@elsewhere.test");
		await form.getByRole("button", { name: "Create group" }).click();
		await form.getByText(/address must be on one of your company's domains/).waitFor();
		expect(await form.getByLabel("Address", { exact: true }).getAttribute("aria-invalid")).toBe("true");

		await form.getByLabel("Address", { exact: true }).fill("sales@acme.test");
		await form.getByLabel("Name", { exact: true }).fill("Sales");
		await form.getByLabel("Add members: find users by address").fill("alice");
		await form.getByRole("checkbox", { name: /alice@acme\.test/ }).check();
		await form.getByRole("list", { name: "Chosen members" }).getByRole("button", { name: "Remove alice@acme.test" }).waitFor();
		await form.getByRole("button", { name: "Create group" }).click();
		await page.getByText("Group sales@acme.test created.").waitFor();
		const row = page.getByRole("list", { name: "Groups" }).getByRole("listitem").filter({ hasText: "sales@acme.test" });
		await row.getByText("Sales · 1 member").waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

		// Mail to the group, through the SMTP ingress, is held for Alice (acme.test is down).
		const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
		await smtp.sendMail({ from: "buyer@example.org", to: "sales@acme.test", subject: "Quote, please", text: "For 40 units." });
		const alice = await apiSignIn(stage.service.url, "alice@acme.test");
		await vi.waitFor(async () => expect((await inbox(stage.service.url, alice)).map((m) => m.subject)).toContain("Quote, please"), wait);

		await row.getByRole("button", { name: "Delete sales@acme.test" }).click();
		const confirm = page.getByRole("group", { name: "Confirm deleting sales@acme.test" });
		await confirm.getByRole("button", { name: "Delete group" }).click();
		await page.getByText("Group sales@acme.test deleted.").waitFor();
		await page.getByText("Your company has no groups yet.").waitFor();
	});
});
