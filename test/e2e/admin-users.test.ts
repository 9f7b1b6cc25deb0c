// Company settings → Users in headless Chromium: admin@acme.test imports users from CSV (the
// check reports the one bad row with its line, the import creates the rest), selects them and
// sends the welcome email; the message lands in the local outbox as an .eml file, and a new user
// opens its link in a fresh browser, chooses a password and is in their Emergency Inbox. Then
// the admin edits an account on its own page and deletes it after an in-page confirmation.
import type { Page } from "playwright-core";
import PostalMime from "postal-mime";
import { describe, expect, it, vi } from "vitest";
import { browserStage, outboxFor, signInPage } from "./browser";

const wait = { timeout: 30_000, interval: 200 };
const DANA_HOME = "dana.scully@home.example";
const NEW_PASSWORD = "trust no one, twelve plus";
const CSV = [
	"email,name,role,alternate_email,aliases",
	`dana@acme.test,Dana Scully,user,${DANA_HOME},d.scully@acme.test`,
	"eli@acme.test,Eli Wallach,,eli.wallach@home.example,",
	"frank@example.org,Frank Outsider,,,",
].join("\n");

const stage = browserStage("admin-users");

async function toUsers(page: Page) {
	await page.getByRole("link", { name: "Administration" }).click();
	await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" }).click();
	await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe("managing users in Chromium", () => {
	it("imports users from CSV, sends the welcome email, and a new user sets a password and signs in", async () => {
		const page = await stage.pages.newPage();
		await signInPage(page, stage.service.url, "admin@acme.test");
		await toUsers(page);
		await page.getByRole("link", { name: "Import CSV" }).click();
		await page.getByRole("heading", { name: "Import users", level: 1 }).waitFor();
		await page.getByText("Sample CSV").click();
		await page.getByLabel("Sample CSV").getByText("email,name,role,alternate_email,aliases").waitFor();

		// Import stays off until the text has been checked.
		await page.getByLabel("Or paste the CSV").fill(CSV);
		expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);
		await page.getByRole("button", { name: "Check" }).click();
		await page.getByText("2 users can be created. 1 row has errors and will be skipped.").waitFor();
		const table = page.getByRole("table", { name: "Check results" });
		const row = (line: number) => table.getByRole("row").filter({ has: page.getByRole("cell", { name: String(line), exact: true }) });
		await expect(row(4).getByRole("cell").allTextContents()).resolves.toEqual([
			"4",
			"frank@example.org",
			"email frank@example.org is not at one of your company's domains (acme.test)",
		]);
		await expect(row(2).getByRole("cell").allTextContents()).resolves.toEqual(["2", "dana@acme.test", "Will be created"]);

		await page.getByRole("button", { name: "Import", exact: true }).click();
		await page.getByText("Created 2 users. 1 row skipped.").waitFor();
		await expect(
			page
				.getByRole("table", { name: "Import results" })
				.getByRole("row")
				.filter({ hasText: "eli@acme.test" })
				.getByRole("cell")
				.allTextContents(),
		).resolves.toEqual(["3", "eli@acme.test", "Created"]);
		// Once imported, the same text cannot be imported twice by a second click.
		expect(await page.getByRole("button", { name: "Import", exact: true }).isDisabled()).toBe(true);

		await page.getByRole("link", { name: "See the users" }).click();
		await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
		const list = page.getByRole("list", { name: "Users" });
		const dana = list.getByRole("listitem").filter({ hasText: "dana@acme.test" });
		await dana.getByText("Dana Scully").waitFor();
		await dana.getByText("Also d.scully@acme.test").waitFor();
		await dana.getByText("No password yet").waitFor();
		await dana.getByRole("checkbox", { name: "Select dana@acme.test" }).check();
		await list.getByRole("checkbox", { name: "Select eli@acme.test" }).check();
		const bulk = page.getByRole("group", { name: "Selected users" });
		await bulk.getByText("2 selected").waitFor();
		await bulk.getByRole("button", { name: "Send welcome email" }).click();
		await page.getByText("Welcome email on its way to 2 users.").waitFor();
		await dana.getByText("Welcome email sent").waitFor();

		// The welcome email, as the local outbox kept it.
		await vi.waitFor(() => expect(outboxFor(stage, DANA_HOME)).toHaveLength(1), wait);
		const mail = await PostalMime.parse(outboxFor(stage, DANA_HOME)[0] as string);
		expect(mail.subject).toBe("Your Emergency Inbox account dana@acme.test: choose a password");
		const link = /(http\S+\/set-password\?token=[\w-]+)/.exec(mail.text ?? "")?.[1] ?? "";
		expect(link.startsWith(`${stage.service.url}/set-password?token=`)).toBe(true);

		// Dana, in a browser that has never signed in.
		const fresh = await stage.pages.newPage();
		await fresh.goto(link);
		await fresh.getByRole("heading", { name: "Choose your password", level: 1 }).waitFor();
		await fresh.getByLabel("New password").fill("too short");
		await fresh.getByLabel("Confirm the password").fill("too short");
		await fresh.getByRole("button", { name: "Set password and sign in" }).click();
		await fresh.getByRole("alert").getByText("Use at least 12 characters.").waitFor();
		await fresh.getByLabel("New password").fill(NEW_PASSWORD);
		await fresh.getByLabel("Confirm the password").fill(NEW_PASSWORD);
		await fresh.getByRole("button", { name: "Set password and sign in" }).click();
		// Signed in with the new password, or a failure in the page's words.
		await fresh.waitForURL(`${stage.service.url}/`).catch(async () => {
			throw new Error(`still on ${fresh.url()}: ${await fresh.locator("main").textContent()}`);
		});
		await fresh.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		const session = (await (await fresh.request.get(`${stage.service.url}/api/session`)).json()) as { user: { email: string } };
		expect(session.user.email).toBe("dana@acme.test");

		// The link worked once; opened again it says so, with the way to sign in.
		const again = await stage.pages.newPage();
		await again.goto(link);
		await again.getByLabel("New password").fill("another long password");
		await again.getByLabel("Confirm the password").fill("another long password");
		await again.getByRole("button", { name: "Set password and sign in" }).click();
		await again
			.getByRole("alert")
			.getByText(/already used/)
			.waitFor();
		await again.getByRole("link", { name: "Go to sign in" }).click();
		await signInPage(again, stage.service.url, "dana@acme.test", NEW_PASSWORD);
		await again.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
	});

	it("edits a user on its page, and deletes it after asking on the page, at 375 px", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await signInPage(page, stage.service.url, "admin@acme.test");
		await toUsers(page);
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.getByLabel("Find by address or name").fill("wallach");
		const list = page.getByRole("list", { name: "Users" });
		await vi.waitFor(async () => expect(await list.locator("li .user-email").allTextContents()).toEqual(["eli@acme.test"]), wait);
		await list.getByRole("link", { name: "eli@acme.test" }).click();
		await page.getByRole("heading", { name: "eli@acme.test", level: 1 }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);

		// An alternate address at the company's own domain is refused in the API's words, on that field.
		const alternate = page.getByLabel("Alternate email address");
		await alternate.fill("eli@acme.test");
		await page.getByRole("button", { name: "Save details" }).click();
		await page.getByText("alternateEmail eli@acme.test is at your company's own domain").waitFor();
		expect(await alternate.getAttribute("aria-invalid")).toBe("true");
		await alternate.fill("eli.w@elsewhere.example");
		await page.getByLabel("Role").selectOption("customer_admin");
		await page.getByRole("button", { name: "Save details" }).click();
		await page.getByText("Saved. eli@acme.test was signed out everywhere and signs in again with the new role.").waitFor();
		await page.getByText("Administrator", { exact: true }).first().waitFor();

		await page.getByLabel("New alias").fill("wallach@acme.test");
		await page.getByRole("button", { name: "Add alias" }).click();
		await page.getByRole("list", { name: "Aliases" }).getByText("wallach@acme.test", { exact: true }).waitFor();
		await page.getByLabel("New alias").fill("alice@acme.test");
		await page.getByRole("button", { name: "Add alias" }).click();
		await page.getByText("alice@acme.test already names a user").waitFor();

		await page.getByRole("button", { name: "Disable account" }).click();
		await page.getByText("eli@acme.test is disabled and was signed out everywhere.").waitFor();
		await page.getByRole("button", { name: "Enable account" }).waitFor();

		await page.getByRole("button", { name: "Delete user…" }).click();
		const confirm = page.getByRole("group", { name: "Delete eli@acme.test?" });
		await confirm.getByText(/Mail held for it stays and is still delivered to your mail server/).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await confirm.getByRole("button", { name: "Keep the account" }).click();
		await page.getByRole("button", { name: "Delete user…" }).click();
		await page.getByRole("button", { name: "Delete eli@acme.test" }).click();
		await page.waitForURL(/\/admin\/users$/);
		await page.getByText("eli@acme.test deleted.").waitFor();
		await list.getByText("alice@acme.test", { exact: true }).waitFor();
		expect(await list.getByText("eli@acme.test").count()).toBe(0);

		// The admin's own page: no way to delete themselves.
		await list.getByRole("link", { name: "admin@acme.test" }).click();
		await page.getByText("You cannot delete your own account; another administrator can.").waitFor();
		expect(await page.getByRole("button", { name: "Delete user…" }).isDisabled()).toBe(true);
	});
});
