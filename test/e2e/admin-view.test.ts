// An administrator opens a user's Emergency Inbox in headless Chromium: acme.test is down and
// alice@acme.test's mail is held; admin@acme.test finds her under Administration → Users, says
// why, reads her held message read-only (nothing that would change it is offered, the API
// refuses in its own words and nothing changes), leaves, and the activity log shows the
// reason and the message that was opened.
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { MessageSummary } from "../../src/api/types";
import { browserStage, signInPage } from "./browser";
import { signIn as apiSignIn, inbox } from "./client";

const SUBJECT = "Supplier invoice, due Friday";
const REASON = "Alice is on leave and the supplier invoice is due";
const READ_ONLY = "You are viewing alice@acme.test's Emergency Inbox read-only.";
const wait = { timeout: 30_000, interval: 200 };

interface AuditEvent {
	kind: string;
	messageId: string | null;
	actorUserId: string | null;
	detail: { mailbox?: string; reason?: string; canAct?: boolean };
}

async function alicesMessage(): Promise<MessageSummary | undefined> {
	return (await inbox(stage.service.url, await apiSignIn(stage.service.url, "alice@acme.test"))).find((m) => m.subject === SUBJECT);
}

const stage = browserStage("admin-view");

beforeAll(async () => {
	// acme.test has no reachable server: the message is held for Alice.
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	await smtp.sendMail({ from: "zed@example.org", to: "alice@acme.test", subject: SUBJECT, text: "Invoice 42 attached in spirit." });
	await vi.waitFor(async () => expect(await alicesMessage()).toBeDefined(), wait);
});

const newPage = (viewport = { width: 1280, height: 900 }) => stage.pages.newPage({ viewport });

async function signIn(page: Page, email: string) {
	await signInPage(page, stage.service.url, email);
	await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
}

async function toUsers(page: Page) {
	await page.getByRole("link", { name: "Administration" }).click();
	await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" }).click();
	await page.waitForURL(/\/admin\/users/);
	await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
}

/** The session as the page's own cookie sees it. */
async function session(page: Page): Promise<{ user: { email: string }; viewing: { email: string; canAct: boolean } | null }> {
	const res = await page.request.get(`${stage.service.url}/api/session`);
	expect(res.status()).toBe(200);
	return res.json();
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe("an administrator opening a user's Emergency Inbox", () => {
	it("reads Alice's held mail read-only, leaves, and the activity log has the reason", async () => {
		const page = await newPage();
		await signIn(page, "admin@acme.test");
		await toUsers(page);
		const users = page.getByRole("list", { name: "Users" });
		await users.getByText("bob@acme.test", { exact: true }).waitFor();

		// Filtering by the start of the address.
		await page.getByLabel("Find by address").fill("ali");
		await page.waitForURL(/[?&]q=ali/);
		await vi.waitFor(async () => expect(await users.locator("li .user-email").allTextContents()).toEqual(["alice@acme.test"]), wait);
		const alice = users.getByRole("listitem").filter({ hasText: "alice@acme.test" });
		await alice.getByText("Alice Example").waitFor();
		await alice.getByText("User", { exact: true }).waitFor();

		await alice.getByRole("button", { name: "Open Emergency Inbox of alice@acme.test" }).click();
		const dialog = page.getByRole("dialog", { name: "Open alice@acme.test's Emergency Inbox" });
		await dialog.waitFor();
		const reason = dialog.getByLabel("Why do you need to open alice@acme.test's Emergency Inbox?");
		await dialog.getByText("This is recorded in the activity log and visible to your company.").waitFor();
		expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
		const act = dialog.getByLabel("Let me act in this inbox (mark, delete, send) — everything you do is recorded as you");
		expect(await act.isChecked()).toBe(false);

		// No reason: the API refuses, in its words, and the session is unchanged.
		await dialog.getByRole("button", { name: "Open", exact: true }).click();
		await dialog.getByText("Say why you open this inbox (5 to 500 characters)").waitFor();
		expect(await reason.getAttribute("aria-invalid")).toBe("true");
		expect((await session(page)).viewing).toBeNull();

		await reason.fill(REASON);
		await dialog.getByRole("button", { name: "Open", exact: true }).click();
		await page.waitForURL(`${stage.service.url}/`);
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		await page
			.getByRole("status")
			.filter({ hasText: `You are viewing alice@acme.test's Emergency Inbox (read-only) as an administrator. Reason: ${REASON}.` })
			.waitFor();
		expect(await dialog.isVisible()).toBe(false);
		expect(await session(page)).toMatchObject({ user: { email: "admin@acme.test" }, viewing: { email: "alice@acme.test", canAct: false } });
		// Nothing could be sent from here: no Compose.
		expect(await page.getByRole("link", { name: "Compose" }).isVisible()).toBe(false);

		// Alice's held message, opened. Reading does not mark it read (that would be a change).
		const row = page.locator("li.row", { hasText: SUBJECT });
		await row.getByRole("link").click();
		await page.getByRole("heading", { name: SUBJECT, level: 1 }).waitFor();
		await page.getByText("Invoice 42 attached in spirit.").waitFor();

		// Nothing that would change her inbox is offered, and the keys for it do nothing.
		const actions = page.getByRole("group", { name: "Message actions" });
		await actions.getByRole("button", { name: "Back" }).waitFor();
		for (const name of ["Reply", "Reply all", "Forward", "Delete", "Mark unread"])
			expect(await actions.getByRole("button", { name, exact: true }).count(), name).toBe(0);
		await page.keyboard.press("r");
		await page.keyboard.press("#");
		expect(page.url()).toMatch(/\/message\//);
		// Asked directly, the API refuses a change in its own words, and the message stays as it was.
		const refused = await page.request.patch(`${stage.service.url}/api/mailbox/messages`, {
			data: { ids: [(await alicesMessage())?.id], folder: "trash" },
			headers: { Origin: stage.service.url },
		});
		expect(refused.status()).toBe(403);
		expect(((await refused.json()) as { detail: string }).detail).toContain(READ_ONLY);
		await actions.getByRole("button", { name: "Back" }).click();
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();

		// The list offers no selection either.
		await row.waitFor();
		expect(await row.getByRole("checkbox").count()).toBe(0);
		expect(await page.getByRole("group", { name: "Selected messages" }).getByRole("button", { name: "Mark read" }).count()).toBe(0);
		expect(await alicesMessage()).toMatchObject({ folder: "inbox", seen: false });

		// Leaving: back to the admin's own session, on the Users page, without the banner.
		await page.getByRole("button", { name: "Leave this inbox" }).click();
		await page.waitForURL(/\/admin\/users/);
		await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
		await page.locator(".viewing-banner").waitFor({ state: "detached" });
		expect((await session(page)).viewing).toBeNull();
		await page.getByRole("link", { name: "Compose" }).waitFor();

		// The admin's own inbox, with nothing of Alice's in it, not even for a moment: a list
		// remembered from her inbox would show before the fresh one replaced it.
		await page.evaluate((subject) => {
			const w = window as unknown as { sawAlicesMail: boolean };
			w.sawAlicesMail = false;
			new MutationObserver(() => {
				if (document.body.textContent?.includes(subject)) w.sawAlicesMail = true;
			}).observe(document.body, { childList: true, subtree: true, characterData: true });
		}, SUBJECT);
		await page.getByRole("navigation", { name: "Folders" }).getByRole("link", { name: "Inbox" }).click();
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		await page.getByText("No mail here.").waitFor();
		expect(await page.evaluate(() => (window as unknown as { sawAlicesMail: boolean }).sawAlicesMail)).toBe(false);

		// The audit trail, through the page's own cookie, then as the Activity page shows it.
		const res = await page.request.get(`${stage.service.url}/api/admin/events?kind=inbox.`);
		expect(res.status()).toBe(200);
		const events = ((await res.json()) as { events: AuditEvent[] }).events;
		const id = (await alicesMessage())?.id;
		expect(events.map((e) => e.kind)).toEqual(["inbox.view_ended", "inbox.message_viewed", "inbox.view_started"]);
		expect(events.find((e) => e.kind === "inbox.view_started")?.detail).toEqual({
			mailbox: "alice@acme.test",
			reason: REASON,
			canAct: false,
		});
		expect(events.find((e) => e.kind === "inbox.message_viewed")).toMatchObject({ messageId: id, detail: { mailbox: "alice@acme.test" } });

		await page.getByRole("link", { name: "Administration" }).click();
		await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Activity" }).click();
		await page.getByRole("heading", { name: "Activity", level: 1 }).waitFor();
		const log = page.locator("ol.event-list > li");
		await log.filter({ hasText: "inbox.view_started" }).filter({ hasText: REASON }).waitFor();
		await log
			.filter({ hasText: "inbox.message_viewed" })
			.filter({ hasText: `message ${id}` })
			.waitFor();
	});

	it("may act in Bob's inbox when the admin asks to, and fits a 375 px phone", async () => {
		const page = await newPage({ width: 375, height: 740 });
		await signIn(page, "admin@acme.test");
		await toUsers(page);
		// The admin's own row has no button: their own inbox is the one they already have.
		const own = page.getByRole("listitem").filter({ hasText: "admin@acme.test" });
		await own.getByText("You", { exact: true }).waitFor();
		expect(await own.getByRole("button").count()).toBe(0);
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);

		await page.getByRole("button", { name: "Open Emergency Inbox of bob@acme.test" }).click();
		const dialog = page.getByRole("dialog", { name: "Open bob@acme.test's Emergency Inbox" });
		// Cancel closes without opening anything; the next opening starts from an empty form.
		await dialog.getByLabel("Why do you need to open bob@acme.test's Emergency Inbox?").fill("Typed, then cancelled");
		await dialog.getByRole("button", { name: "Cancel" }).click();
		await dialog.waitFor({ state: "hidden" });
		expect((await session(page)).viewing).toBeNull();

		await page.getByRole("button", { name: "Open Emergency Inbox of bob@acme.test" }).click();
		const reason = dialog.getByLabel("Why do you need to open bob@acme.test's Emergency Inbox?");
		expect(await reason.inputValue()).toBe("");
		await reason.fill("Bob asked me to forward a contract.");
		await dialog.getByLabel(/^Let me act in this inbox/).check();
		await dialog.getByRole("button", { name: "Open", exact: true }).click();
		await page.waitForURL(`${stage.service.url}/`);
		await page
			.getByRole("status")
			.filter({
				hasText:
					"You are viewing bob@acme.test's Emergency Inbox as an administrator and may act in it; what you do is recorded as you. Reason: Bob asked me to forward a contract.",
			})
			.waitFor();
		await page.getByRole("link", { name: "Compose" }).waitFor();
		expect(await session(page)).toMatchObject({ viewing: { email: "bob@acme.test", canAct: true } });
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);

		await page.getByRole("button", { name: "Leave this inbox" }).click();
		await page.waitForURL(/\/admin\/users/);
		await page.locator(".viewing-banner").waitFor({ state: "detached" });
		expect((await session(page)).viewing).toBeNull();
	});
});
