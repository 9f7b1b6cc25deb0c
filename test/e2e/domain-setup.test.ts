// Setting up a new domain in headless Chromium, with the local service's own DNS resolver
// standing in for the Internet's: admin@acme.test adds newco.test, mail for it is deferred
// (451 4.7.1) until the TXT record the page shows is published and "Verify now" finds it; the
// admin points the domain at a real SMTP server, tests the connection and reads the transcript;
// then a message sent to newco.test through the service's SMTP ingress reaches that server.
// Also: removing a domain, confirmed in the page (never a script dialog), and 375 px.
import nodemailer from "nodemailer";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Arrived, type Downstream, startDownstream } from "../../scripts/lib/downstream";
import { freePort } from "../../scripts/lib/ports";
import { browserStage, signInPage } from "./browser";

const wait = { timeout: 30_000, interval: 200 };

let newco: Downstream;
const arrived: Arrived[] = [];

const stage = browserStage("domain-setup");

beforeAll(async () => {
	newco = await startDownstream({
		port: await freePort(),
		name: "mx.newco.test",
		onMessage: (m) => arrived.push(m),
		// newco's own directory: everyone but ghost@ exists there.
		accepts: (address) => address !== "ghost@newco.test",
	});
});

afterAll(async () => {
	await newco?.close();
});

async function toDomains(page: Page) {
	await signInPage(page, stage.service.url, "admin@acme.test");
	await page.getByRole("link", { name: "Administration" }).click();
	await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Domains" }).click();
	await page.waitForURL(/\/admin\/domains$/);
	await page.getByRole("heading", { name: "Domains", level: 1 }).waitFor();
}

async function addDomain(page: Page, name: string) {
	await page.getByLabel("Domain name").fill(name);
	await page.getByRole("button", { name: "Add domain" }).click();
	await page.waitForURL(/\/admin\/domains\/[0-9A-Z]{26}$/);
	await page.getByRole("heading", { name, level: 1 }).waitFor();
}

/** One message through the service's SMTP ingress, as a sending MTA would hand it to Email Routing. */
function send(to: string, subject: string) {
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	return smtp.sendMail({ from: "zed@example.org", to, subject, text: "Hello, new domain." });
}

const item = (setup: Locator, id: string) => setup.locator(`li[data-item="${id}"]`);

describe("domain setup in Chromium", () => {
	it("adds newco.test, verifies it over DNS, points it at a live server, and its mail arrives there", async () => {
		const page = await stage.pages.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
		await toDomains(page);
		await addDomain(page, "NewCo.test");
		const setup = page.getByRole("region", { name: "Setup" });
		await setup.getByText("Not verified").waitFor();
		const recordName = (await setup.locator("#setup-record-name").textContent()) ?? "";
		const recordValue = (await setup.locator("#setup-record-value").textContent()) ?? "";
		expect(recordName).toBe("_emergency-inbox.newco.test");
		expect(recordValue).toMatch(/^emergency-inbox-verification=[A-Za-z0-9_-]{24}$/);
		await setup.getByRole("button", { name: "Copy value" }).click();
		await setup.getByText("Copied.").waitFor();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(recordValue);

		// The checklist before anything is done: no MX, the catch-all rule not checkable from DNS.
		await item(setup, "mx").getByText("No MX records yet").waitFor();
		await item(setup, "routing").getByText("This cannot be checked from DNS").waitFor();
		await item(setup, "destination").getByRole("link", { name: "Go to Delivery destination" }).waitFor();

		// Unverified: mail for it is deferred, and nothing is kept for whoever added the domain.
		const early = await send("anyone@newco.test", "Too early").catch((e: { responseCode?: number; response?: string }) => e);
		expect(early).toMatchObject({
			responseCode: 451,
			response: expect.stringContaining("4.7.1 Domain newco.test is not yet verified here"),
		});

		// Verify before publishing: the API's answer says what it expected and what DNS has.
		await setup.getByRole("button", { name: "Verify now" }).click();
		await setup.getByText(`Expected a TXT record ${recordName} with the value "${recordValue}"`).waitFor();
		await setup.getByText("does not exist in DNS (NXDOMAIN)", { exact: false }).first().waitFor();

		stage.service.dns.set(recordName, "TXT", [recordValue]);
		stage.service.dns.set("newco.test", "MX", ["10 route1.mx.cloudflare.net.", "20 route2.mx.cloudflare.net."]);
		await setup.getByRole("button", { name: "Verify now" }).click();
		await setup.getByText(`Verified: ${recordName} holds the value we gave you.`).waitFor();
		await setup.locator(".tag", { hasText: /^Verified$/ }).waitFor();
		await vi.waitFor(async () => expect(await item(setup, "ownership").locator(".tag").textContent()).toBe("Done"), wait);
		await vi.waitFor(async () => expect(await item(setup, "mx").locator(".tag").textContent()).toBe("Done"), wait);
		await item(setup, "mx")
			.getByText("MX points to Cloudflare Email Routing: route1.mx.cloudflare.net (10), route2.mx.cloudflare.net (20).")
			.waitFor();

		// No users at newco.test yet: accept every address and let the server decide.
		const policy = page.getByRole("region", { name: "Policy" });
		await policy.getByLabel("Unknown recipients").selectOption("accept");
		await policy.getByRole("button", { name: "Save policy" }).click();
		await policy.getByText("Policy saved.").waitFor();

		await item(setup, "destination").getByRole("link", { name: "Go to Delivery destination" }).click();
		await page.waitForURL(/#delivery-title$/);
		const delivery = page.getByRole("region", { name: "Delivery destination" });
		await delivery.getByLabel("Host").fill("127.0.0.1");
		await delivery.getByLabel("Port").fill(String(newco.port));
		await delivery.getByLabel("TLS").selectOption("off");
		await delivery.getByRole("button", { name: "Save destination" }).click();
		await delivery.getByText("Destination saved.").waitFor();
		await delivery.getByRole("button", { name: "Test connection" }).click();
		await delivery.getByText("Connection works:").waitFor();
		await expect(delivery.locator("pre.transcript").textContent()).resolves.toMatch(/^S: 220 mx\.newco\.test/m);
		expect(arrived).toHaveLength(0);

		await setup.getByRole("button", { name: "Check again" }).click();
		await vi.waitFor(async () => expect(await item(setup, "destination").locator(".tag").textContent()).toBe("Done"), wait);
		await vi.waitFor(async () => expect(await item(setup, "connection").locator(".tag").textContent()).toBe("Done"), wait);
		await item(setup, "connection").getByText("Connection test passed on").waitFor();

		// The sender's retry, now accepted and relayed to newco's own server.
		await send("anyone@newco.test", "Welcome to the new domain");
		await vi.waitFor(
			() => expect(arrived.map((m) => m.raw.toString("utf8")).join("\n")).toContain("Subject: Welcome to the new domain"),
			wait,
		);
		expect(arrived.flatMap((m) => m.to)).toEqual(["anyone@newco.test"]);
		await setup.getByRole("button", { name: "Check again" }).click();
		await vi.waitFor(async () => expect(await item(setup, "routing").locator(".tag").textContent()).toBe("Done"), wait);

		await page.getByRole("link", { name: "← All domains" }).click();
		const card = page.locator("li.domain-card", { hasText: "newco.test" });
		await card.waitFor();
		expect(await card.getByText("Not verified").count()).toBe(0);
	});

	it("asks newco's server which addresses exist, and adds the ones it accepts as users", async () => {
		const page = await stage.pages.newPage();
		await toDomains(page);
		await page.locator("li.domain-card", { hasText: "newco.test" }).getByRole("link", { name: "newco.test" }).click();
		const discovery = page.getByRole("region", { name: "Recipient discovery" });
		await discovery.getByLabel("Addresses to check").fill("ann@newco.test\nghost@newco.test");
		await discovery.getByRole("button", { name: "Discover" }).click();
		const results = discovery.getByRole("table", { name: "Discovery results" });
		await results
			.getByRole("row", { name: /ghost@newco\.test/ })
			.getByText(/550 5\.1\.1/)
			.waitFor();
		// Only what the server accepted is offered; the refused address is noted, not offered.
		expect(
			await results
				.getByRole("row", { name: /ghost@newco\.test/ })
				.getByRole("checkbox")
				.count(),
		).toBe(0);
		await results
			.getByRole("row", { name: /ann@newco\.test/ })
			.getByRole("checkbox")
			.check();
		await discovery.getByRole("button", { name: "Add as users" }).click();
		await discovery.getByText("Added 1 user. Invite them from Users when you are ready.").waitFor();
		// Asking never sent the server a message.
		expect(arrived.flatMap((m) => m.to)).not.toContain("ann@newco.test");

		await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Users" }).click();
		await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
		await page.getByText("ann@newco.test", { exact: true }).waitFor();
		expect(await page.getByText("ghost@newco.test", { exact: true }).count()).toBe(0);
	});

	it("removes a domain after an in-page confirmation, and says in the API's words why another cannot go", async () => {
		const page = await stage.pages.newPage();
		await toDomains(page);
		await addDomain(page, "oldco.test");
		await page.getByRole("link", { name: "← All domains" }).click();
		await page.locator("li.domain-card", { hasText: "oldco.test" }).getByText("Not verified").waitFor();
		await page.locator("li.domain-card", { hasText: "oldco.test" }).getByRole("link", { name: "oldco.test" }).click();
		const setup = page.getByRole("region", { name: "Setup" });
		await setup.getByRole("button", { name: "Remove domain" }).click();
		const confirm = setup.getByRole("group", { name: /Remove oldco\.test\?/ });
		await confirm.getByRole("button", { name: "Cancel" }).click();
		expect(await confirm.count()).toBe(0);
		await setup.getByRole("button", { name: "Remove domain" }).click();
		await confirm.getByRole("button", { name: "Yes, remove oldco.test" }).click();
		await page.waitForURL(/\/admin\/domains$/);
		await page.locator("li.domain-card", { hasText: "acme.test" }).waitFor();
		expect(await page.locator("li.domain-card", { hasText: "oldco.test" }).count()).toBe(0);

		// acme.test has its users' addresses: the refusal is shown as the API wrote it.
		await page.locator("li.domain-card", { hasText: "acme.test" }).getByRole("link", { name: "acme.test" }).click();
		await setup.getByRole("button", { name: "Remove domain" }).click();
		await setup.getByRole("button", { name: "Yes, remove acme.test" }).click();
		await setup.getByText(/Users, aliases or groups still have addresses at acme\.test|acme\.test has carried mail/).waitFor();
		await page.getByRole("heading", { name: "acme.test", level: 1 }).waitFor();
	});

	it("fits a 375 px phone, long TXT value included", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await toDomains(page);
		await addDomain(page, "narrow-phone-check.test");
		await page.getByRole("region", { name: "Setup" }).locator("#setup-record-value").waitFor();
		await page.getByRole("region", { name: "Setup" }).locator('li[data-item="routing"]').waitFor();
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
	});
});
