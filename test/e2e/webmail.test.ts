// The webmail in real headless Chromium against the local service, as a user works during
// an outage: acme.test is down, alice reads held mail, downloads an attachment, answers a
// colleague (held for bob too) and writes to a healthy domain (delivered to globex's server),
// manages her mailbox, searches, and does it all from the keyboard and on a phone.
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import PostalMime, { type Email } from "postal-mime";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ROOT } from "../../scripts/lib/local-service";
import type { MessageSummary } from "../../src/api/types";
import { browserStage, signInPage } from "./browser";
import { signIn as apiSignIn, inbox } from "./client";

// Each run has its own state folder, so plain subjects are unique (and read well in the screenshots).
const SUBJECTS = {
	invoice: "Invoice for November",
	lunch: "Lunch on Friday?",
	contract: "Contract draft v3",
	newsletter: "December deals",
	maintenance: "Mail server maintenance tonight",
};
/** A word only the contract's body contains, for the search test. */
const BODY_WORD = "pineapple";
const ATTACHMENT = { filename: "invoice-2026-11.pdf", bytes: Buffer.from(`%PDF-1.4\n${"0123456789abcdef".repeat(512)}\n%%EOF\n`) };
const PIXEL = "http://198.51.100.7/pixel.gif";
const SCREENSHOTS = join(ROOT, "docs", "screenshots");

const stage = browserStage("webmail");

beforeAll(async () => {
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	// Oldest first, so the inbox reads newest first like a real one.
	await smtp.sendMail({
		from: '"Zed Supplier" <zed@example.org>',
		to: "alice@acme.test",
		subject: SUBJECTS.invoice,
		text: "Hello Alice,\n\nplease find the invoice attached. Details at https://example.org/invoices/42.\n\nThanks,\nZed",
		attachments: [{ filename: ATTACHMENT.filename, content: ATTACHMENT.bytes, contentType: "application/pdf" }],
	});
	await smtp.sendMail({
		from: '"Newsletter" <news@example.net>',
		to: "alice@acme.test",
		subject: SUBJECTS.newsletter,
		html: `<h1>Deals</h1><p>Big savings inside.</p><img src="${PIXEL}" alt="">`,
	});
	await smtp.sendMail({
		from: '"Carol Example" <carol@globex.test>',
		to: "alice@acme.test",
		subject: SUBJECTS.contract,
		text: `Hi Alice,\n\nthe third draft is ready; the ${BODY_WORD} clause is gone.\n\nCarol`,
	});
	await smtp.sendMail({
		from: '"Bob Example" <bob@acme.test>',
		to: "alice@acme.test",
		cc: "carol@globex.test",
		subject: SUBJECTS.lunch,
		text: "Are you free for lunch on Friday? The place: https://maps.example.com/place?id=7.",
	});
	await smtp.sendMail({
		from: '"IT Desk" <it@acme.test>',
		to: "alice@acme.test",
		subject: SUBJECTS.maintenance,
		text: "We are working on the mail server. Questions: mailto:it@acme.test.",
	});
	// acme.test is down: each message shows once the delivery engine has held it.
	const cookie = await apiSignIn(stage.service.url, "alice@acme.test");
	await vi.waitFor(
		async () =>
			expect((await inbox(stage.service.url, cookie)).map((m) => m.subject)).toEqual(expect.arrayContaining(Object.values(SUBJECTS))),
		{ timeout: 30_000, interval: 200 },
	);
});

const newPage = (viewport = { width: 1280, height: 800 }) => stage.pages.newPage({ viewport, acceptDownloads: true, colorScheme: "light" });

async function signIn(page: Page, email = "alice@acme.test") {
	await signInPage(page, stage.service.url, email);
	await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
}

const row = (page: Page, subject: string) => page.locator("li.row", { hasText: subject });

async function aliceInbox(): Promise<MessageSummary[]> {
	return inbox(stage.service.url, await apiSignIn(stage.service.url, "alice@acme.test"));
}

describe("the webmail in Chromium", () => {
	it("shows the outage, opens held mail and downloads its attachment byte for byte", async () => {
		const page = await newPage();
		await signIn(page);
		await page.getByRole("status").filter({ hasText: "Your mail server has been unreachable since" }).waitFor();
		await row(page, SUBJECTS.maintenance).waitFor();
		for (const subject of Object.values(SUBJECTS)) await row(page, subject).waitFor();
		expect(await row(page, SUBJECTS.invoice).getAttribute("class")).toContain("unread");

		await row(page, SUBJECTS.invoice).getByRole("link").click();
		await page.getByRole("heading", { name: SUBJECTS.invoice, level: 1 }).waitFor();
		// Plain text: the URL is a safe link, the rest stays text.
		const link = page.getByRole("link", { name: "https://example.org/invoices/42" });
		expect(await link.getAttribute("href")).toBe("https://example.org/invoices/42");
		expect(await link.getAttribute("rel")).toBe("noopener noreferrer nofollow");
		const attachment = page.getByRole("link", { name: ATTACHMENT.filename });
		const [download] = await Promise.all([page.waitForEvent("download"), attachment.click()]);
		expect(download.suggestedFilename()).toBe(ATTACHMENT.filename);
		expect(readFileSync(await download.path())).toEqual(ATTACHMENT.bytes);
		await page.getByRole("button", { name: "Show headers" }).click();
		await expect(page.locator("#raw-headers").textContent()).resolves.toContain(`Subject: ${SUBJECTS.invoice}`);
		await page.getByRole("button", { name: "Hide headers" }).click();
		mkdirSync(SCREENSHOTS, { recursive: true });
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, "message.png") });
		// Back in the list, the message just read is no longer bold.
		await page.getByRole("button", { name: "Back" }).click();
		await vi.waitFor(async () => expect(await row(page, SUBJECTS.invoice).getAttribute("class")).not.toContain("unread"));
		await page.mouse.move(0, 0);
		await page.screenshot({ path: join(SCREENSHOTS, "inbox.png") });
		// Opening it marked it read.
		await vi.waitFor(async () => expect((await aliceInbox()).find((m) => m.subject === SUBJECTS.invoice)?.seen).toBe(true));
	});

	it("keeps remote images blocked until the user asks for them", async () => {
		const page = await newPage();
		await signIn(page);
		await row(page, SUBJECTS.newsletter).getByRole("link").click();
		const frame = page.locator('iframe[title="Message body"]');
		expect(await frame.getAttribute("sandbox")).toBe("allow-popups allow-popups-to-escape-sandbox");
		await page.frameLocator('iframe[title="Message body"]').getByText("Big savings inside.").waitFor();
		await page.getByText("Remote images are blocked to protect your privacy.").waitFor();
		await (await frame.elementHandle())?.contentFrame().then((f) => f?.waitForLoadState("load"));
		await vi.waitFor(() => expect(stage.pages.leaked()).toEqual([]));
		const allowed = page.waitForEvent("request", (r) => r.url() === PIXEL && r.frame() !== page.mainFrame());
		await page.getByRole("button", { name: "Show images" }).click();
		expect(await frame.getAttribute("src")).toMatch(/[?&]images=1$/);
		await allowed;
		await page.getByRole("button", { name: "Show images" }).waitFor({ state: "detached" });
		// The user allowed exactly this load, for this message, this time.
		expect(new Set(stage.pages.leaked())).toEqual(new Set([PIXEL]));
		stage.pages.forgetForeign();
	});

	it("replies to bob, whose server is down too: the reply waits in bob's Emergency Inbox", async () => {
		const page = await newPage();
		await signIn(page);
		await row(page, SUBJECTS.lunch).getByRole("link").click();
		await page.getByRole("heading", { name: SUBJECTS.lunch, level: 1 }).waitFor();
		await page.getByRole("button", { name: "Reply", exact: true }).click();
		await page.getByRole("heading", { name: "Reply", level: 1 }).waitFor();
		await expect(page.getByLabel("To", { exact: true }).inputValue()).resolves.toBe("Bob Example <bob@acme.test>");
		await expect(page.getByLabel("Subject").inputValue()).resolves.toBe(`Re: ${SUBJECTS.lunch}`);
		const body = page.getByLabel("Message", { exact: true });
		expect(await body.inputValue()).toMatch(/wrote:\n> Are you free for lunch on Friday\?/);
		// The cursor starts above the quote.
		await page.keyboard.type("Friday works, see you at noon.");
		expect((await body.inputValue()).startsWith("Friday works, see you at noon.\n\nOn ")).toBe(true);
		await page.getByRole("button", { name: "Send" }).click();
		await page.getByRole("status").filter({ hasText: "Message sent." }).waitFor();

		const bob = await newPage();
		await signIn(bob, "bob@acme.test");
		await vi.waitFor(
			async () => {
				await bob.getByRole("button", { name: "Refresh" }).click();
				await row(bob, `Re: ${SUBJECTS.lunch}`).waitFor({ timeout: 1000 });
			},
			{ timeout: 30_000, interval: 500 },
		);
		await row(bob, `Re: ${SUBJECTS.lunch}`).getByRole("link").click();
		await bob.getByText("Friday works, see you at noon.").waitFor();
		await bob.getByText("> Are you free for lunch on Friday?", { exact: false }).waitFor();
	});

	it("writes to carol at the healthy globex.test: the message reaches globex's server", async () => {
		const before = stage.service.globex.received();
		const page = await newPage();
		await signIn(page);
		await page.keyboard.press("c");
		await page.getByRole("heading", { name: "New message", level: 1 }).waitFor();
		const subject = "Quarterly figures";
		const to = page.getByLabel("To", { exact: true });
		await to.fill("carol@");
		await page.getByLabel("Subject").fill(subject);
		await page.getByLabel("Message", { exact: true }).fill("Carol, the figures are attached.\n\nAlice");
		await page.getByRole("button", { name: "Send" }).click();
		await expect(page.getByRole("alert").textContent()).resolves.toContain("“carol@” in To is not a valid email address.");
		expect(await to.getAttribute("aria-invalid")).toBe("true");
		await to.fill("Carol Example <carol@globex.test>");
		// Company directory suggestions for Cc.
		await page.getByRole("button", { name: "Cc", exact: true }).click();
		const cc = page.getByLabel("Cc", { exact: true });
		await cc.pressSequentially("bo");
		await page.getByRole("option", { name: /bob@acme\.test/ }).waitFor();
		await cc.press("ArrowDown");
		await cc.press("Enter");
		await expect(cc.inputValue()).resolves.toBe("Bob Example <bob@acme.test>, ");
		await expect(page.getByText(/up to \d+(\.\d)? MB per file/).count()).resolves.toBe(1);
		await page
			.locator("#compose-files")
			.setInputFiles({ name: "figures.csv", mimeType: "text/csv", buffer: Buffer.from("q,revenue\nQ4,42\n") });
		await page.getByRole("button", { name: "Remove figures.csv" }).waitFor();
		await page.getByText("Uploading…").waitFor({ state: "detached" });
		await expect(page.locator(".upload-error").count()).resolves.toBe(0);
		await page.getByRole("button", { name: "Send" }).click();
		await page.getByRole("status").filter({ hasText: "Message sent." }).waitFor();

		// What globex's server got, parsed: the headers are MIME-encoded.
		const dir = stage.service.globex.dir as string;
		const arrived = async () => {
			for (const f of readdirSync(dir).filter((f) => f.endsWith(".eml"))) {
				const email = await PostalMime.parse(readFileSync(join(dir, f)));
				if (email.subject === subject) return email;
			}
			return undefined;
		};
		const email = await vi.waitFor(
			async () => {
				const found = await arrived();
				expect(found).toBeDefined();
				return found as Email;
			},
			{ timeout: 30_000, interval: 200 },
		);
		expect(stage.service.globex.received()).toBeGreaterThan(before);
		expect(email.to?.map((a) => a.address)).toEqual(["carol@globex.test"]);
		expect(email.text).toContain("the figures are attached");
		expect(email.attachments.map((a) => a.filename)).toEqual(["figures.csv"]);

		// Sent shows it, with where each recipient stands.
		await page.getByRole("link", { name: "Sent" }).click();
		await row(page, subject).getByRole("link").click();
		await page.getByRole("heading", { name: "Delivery" }).waitFor();
		await page.locator(".recipients", { hasText: "carol@globex.test" }).waitFor();
		await page.locator(".recipients", { hasText: "bob@acme.test" }).waitFor();
	});

	it("marks read and unread, deletes to Trash and restores", async () => {
		const page = await newPage();
		await signIn(page);
		const contract = row(page, SUBJECTS.contract);
		await contract.waitFor();
		await contract.getByRole("checkbox").check();
		await page.getByRole("button", { name: "Mark read" }).click();
		await vi.waitFor(async () => expect(await contract.getAttribute("class")).not.toContain("unread"));
		await page.getByRole("button", { name: "Mark unread" }).click();
		await vi.waitFor(async () => expect(await contract.getAttribute("class")).toContain("unread"));
		expect((await aliceInbox()).find((m) => m.subject === SUBJECTS.contract)?.seen).toBe(false);

		await page.getByRole("button", { name: "Delete" }).click();
		await contract.waitFor({ state: "detached" });
		await page.getByRole("status").filter({ hasText: "1 message moved to Trash." }).waitFor();
		expect((await aliceInbox()).map((m) => m.subject)).not.toContain(SUBJECTS.contract);

		await page.getByRole("link", { name: "Trash" }).click();
		await page.getByRole("heading", { name: "Trash", level: 1 }).waitFor();
		const trashed = row(page, SUBJECTS.contract);
		await trashed.getByRole("checkbox").check();
		await page.getByRole("button", { name: "Restore" }).click();
		await trashed.waitFor({ state: "detached" });
		await page.getByRole("link", { name: "Inbox", exact: true }).click();
		await row(page, SUBJECTS.contract).waitFor();
		expect((await aliceInbox()).map((m) => m.subject)).toContain(SUBJECTS.contract);
	});

	it("finds a message by a word in its body, and filters", async () => {
		const page = await newPage();
		await signIn(page);
		await page.keyboard.press("/");
		expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-field");
		await page.keyboard.type(BODY_WORD);
		await page.keyboard.press("Enter");
		await page.waitForURL(/\/search\?q=/);
		await row(page, SUBJECTS.contract).waitFor();
		await expect(page.locator("li.row").count()).resolves.toBe(1);
		await page.getByLabel("Has attachment").check();
		await page.getByText("No messages match your search.", { exact: false }).waitFor();
		expect(page.url()).toContain("attachments=1");
		await page.getByLabel("Has attachment").uncheck();
		await row(page, SUBJECTS.contract).waitFor();
	});

	it("works from the keyboard: j/k/o/u/c and ? for help", async () => {
		const page = await newPage();
		await signIn(page);
		const order = (await aliceInbox()).map((m) => m.id);
		await row(page, SUBJECTS.maintenance).waitFor();
		const current = () => page.evaluate(() => document.querySelector<HTMLElement>("li.row.current")?.dataset.id);
		await page.keyboard.press("j");
		await vi.waitFor(async () => expect(await current()).toBe(order[0]));
		await page.keyboard.press("j");
		await vi.waitFor(async () => expect(await current()).toBe(order[1]));
		await page.keyboard.press("k");
		await vi.waitFor(async () => expect(await current()).toBe(order[0]));
		// The cursor is the focus, so it is visible and read out.
		expect(await page.evaluate(() => document.activeElement?.closest<HTMLElement>("li.row")?.dataset.id)).toBe(order[0]);
		await page.keyboard.press("o");
		await page.waitForURL(new RegExp(`/message/${order[0]}$`));
		await page.getByRole("heading", { level: 1 }).waitFor();
		// In the reader, j goes to the next (older) message of the list.
		await page.keyboard.press("j");
		await page.waitForURL(new RegExp(`/message/${order[1]}$`));
		await page.keyboard.press("u");
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		await vi.waitFor(async () => expect(await current()).toBe(order[1]));
		await page.keyboard.press("c");
		await page.getByRole("heading", { name: "New message", level: 1 }).waitFor();
		// Typing in a field is typing, not shortcuts.
		await page.getByLabel("Subject").fill("");
		await page.getByLabel("Subject").press("j");
		await expect(page.getByLabel("Subject").inputValue()).resolves.toBe("j");
		await page.getByRole("button", { name: "Discard" }).click();
		await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		await page.locator("body").click({ position: { x: 5, y: 300 } });
		await page.keyboard.press("?");
		const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
		await help.waitFor();
		await expect(help.getByText("Reply all").count()).resolves.toBe(1);
		await page.keyboard.press("Escape");
		await help.waitFor({ state: "hidden" });
	});

	it("fits a 375 px phone without horizontal scrolling", async () => {
		const page = await newPage({ width: 375, height: 740 });
		await signIn(page);
		await row(page, SUBJECTS.invoice).waitFor();
		const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
		expect(await scrollWidth()).toBeLessThanOrEqual(375);
		await row(page, SUBJECTS.invoice).getByRole("link").click();
		await page.getByRole("heading", { name: SUBJECTS.invoice, level: 1 }).waitFor();
		expect(await scrollWidth()).toBeLessThanOrEqual(375);
		await page.getByRole("link", { name: "Compose" }).click();
		await page.getByRole("heading", { name: "New message", level: 1 }).waitFor();
		expect(await scrollWidth()).toBeLessThanOrEqual(375);
		await page.goto(`${stage.service.url}/search?q=${BODY_WORD}`);
		await row(page, SUBJECTS.contract).waitFor();
		expect(await scrollWidth()).toBeLessThanOrEqual(375);
	});
});
