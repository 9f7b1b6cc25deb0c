// Partners and operators in headless Chromium, with the demo tenant: acme.test is down and
// holding mail for alice. partner@demo.test sees that on its customer list, creates a customer
// whose first admin signs in with the one-time password, drills into Acme to change a policy
// and see its users, and is refused Alice's inbox with a page that says why (and the refusal
// is in Acme's activity log). operator@demo.test creates a partner.
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { PartnerCustomer } from "../../src/api/types";
import { browserStage, enrolAuthenticator, signInPage } from "./browser";
import { signIn as apiSignIn } from "./client";

const wait = { timeout: 30_000, interval: 200 };
const REFUSED = "Partners cannot open a customer's mail";

async function get<T>(path: string, cookie: string): Promise<T> {
	const res = await fetch(`${stage.service.url}/api${path}`, { headers: { Cookie: cookie } });
	expect(res.status, path).toBe(200);
	return (await res.json()) as T;
}

const stage = browserStage("partner");

beforeAll(async () => {
	// One message through the SMTP ingress: the failed delivery attempt is what marks acme.test down.
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	await smtp.sendMail({ from: "zed@example.org", to: "alice@acme.test", subject: "Held for Alice", text: "Waiting for acme.test." });
	const partner = await apiSignIn(stage.service.url, "partner@demo.test");
	await vi.waitFor(async () => {
		const { customers } = await get<{ customers: PartnerCustomer[] }>("/partner/customers", partner);
		expect(customers.find((c) => c.id === "acme")).toMatchObject({ domainsDown: 1, held: 1 });
	}, wait);
});

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);
const card = (page: Page, name: string) => page.locator("li.customer-card").filter({ has: page.getByRole("heading", { name, level: 2 }) });

async function signIn(page: Page, email: string, landing: RegExp, password?: string) {
	await signInPage(page, stage.service.url, email, password);
	await page.waitForURL(landing);
}

describe("a partner in Chromium", () => {
	it("sees Acme down with mail held, and creates a customer whose admin signs in with the one-time password", async () => {
		const page = await stage.pages.newPage({ permissions: ["clipboard-read", "clipboard-write"] });
		await signIn(page, "partner@demo.test", /\/partner$/);
		await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
		await page.getByText(/^1 customer of \d+ with a domain down\.$/).waitFor();
		const acme = card(page, "Acme");
		await acme.getByText("1 domain down", { exact: true }).waitFor();
		await acme.getByText("1 message held", { exact: true }).waitFor();
		const acmeDomains = acme.getByRole("list", { name: "Acme's domains" });
		expect(await acmeDomains.textContent()).toBe("acme.test Down");
		const globex = card(page, "Globex");
		await globex.getByText("All up", { exact: true }).waitFor();
		await globex.getByText("No mail held", { exact: true }).waitFor();
		await card(page, "Demo Partner").getByText("Your company").waitFor();

		await page.getByRole("button", { name: "New customer" }).click();
		const form = page.getByRole("region", { name: "New customer" });
		await form.getByLabel("Customer name").fill("Initech");
		await form.getByLabel("Domain", { exact: true }).fill("initech.test");
		await form.getByLabel("First administrator's address").fill("Peter <peter@initech.test>");
		// An alternate address on the new domain itself: the API refuses it, in its words, on that field.
		await form.getByLabel("Administrator's address outside the domain").fill("peter.home@initech.test");
		await form.getByRole("button", { name: "Create customer" }).click();
		await form.getByText("adminAlternateEmail must be an address outside the new domain").waitFor();
		expect(await form.getByLabel("Administrator's address outside the domain").getAttribute("aria-invalid")).toBe("true");

		await form.getByLabel("Administrator's address outside the domain").fill("peter@home.example");
		await form.getByRole("button", { name: "Create customer" }).click();
		const created = page.getByRole("region", { name: "Initech is ready" });
		await created.getByText("peter@initech.test").first().waitFor();
		await created.getByText("It is shown only this once").waitFor();
		const password = (await created.getByLabel("One-time password").textContent()) ?? "";
		expect(password.length).toBeGreaterThanOrEqual(16);
		await created.getByRole("button", { name: "Copy the one-time password" }).click();
		await created.getByText("Copied to the clipboard.").waitFor();
		expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
		expect(await form.count()).toBe(0);
		// The new customer is on the list: no destination yet, so its domain counts as down.
		await card(page, "Initech").getByText("1 domain down", { exact: true }).waitFor();
		expect(await card(page, "Initech").getByRole("list", { name: "Initech's domains" }).textContent()).toBe("initech.test Down");

		// Shown once: after Done (or a reload) it is gone for good.
		await created.getByRole("button", { name: "Done" }).click();
		await created.waitFor({ state: "detached" });
		await page.reload();
		await card(page, "Initech").waitFor();
		expect(await page.getByText(password).count()).toBe(0);

		// The new admin signs in with it and administers initech.test.
		const peter = await stage.pages.newPage();
		// An administrator: made to set up an authenticator app first (the company's default).
		await signIn(peter, "peter@initech.test", /\/account\/security$/, password);
		await enrolAuthenticator(peter);
		await peter.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
		await peter.getByRole("link", { name: "Administration" }).click();
		await peter.locator("li.domain-card", { hasText: "initech.test" }).waitFor();
	});

	it("drills into Acme: changes a policy, sees its users, and is refused Alice's inbox", async () => {
		const page = await stage.pages.newPage();
		await signIn(page, "partner@demo.test", /\/partner$/);
		await card(page, "Acme").getByRole("link", { name: "Acme" }).click();
		await page.waitForURL(/\/partner\/customers\/acme\/domains$/);
		const banner = page.getByRole("region", { name: "Customer you manage" });
		await banner.getByText("Managing Acme as Demo Partner").waitFor();
		await page.getByRole("heading", { name: "Domains", level: 1 }).waitFor();
		await page.locator("li.domain-card", { hasText: "acme.test" }).waitFor();
		// Only Acme's domains: the partner's own company and Globex are not in Acme's settings.
		expect(await page.locator("li.domain-card").count()).toBe(1);
		// Every link of the admin nav stays inside the drill-down.
		const nav = page.getByRole("navigation", { name: "Administration" });
		const hrefs = await nav.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
		expect(hrefs).toEqual(expect.arrayContaining(["domains", "users", "activity"].map((p) => `/partner/customers/acme/${p}`)));
		expect(hrefs.filter((h) => !h.startsWith("/partner/customers/acme/"))).toEqual([]);

		await page.getByRole("link", { name: "acme.test" }).click();
		await page.waitForURL(/\/partner\/customers\/acme\/domains\/acme-test$/);
		await page.getByRole("heading", { name: "acme.test", level: 1 }).waitFor();
		const policy = page.getByRole("region", { name: "Policy" });
		await policy.getByLabel("Retry schedule").fill("10, 20");
		await policy.getByRole("button", { name: "Save policy" }).click();
		await policy.getByText("Policy saved.").waitFor();
		const admin = await apiSignIn(stage.service.url, "admin@acme.test");
		const { domains } = await get<{ domains: { id: string; policy: { retrySchedule: number[] } }[] }>("/admin/domains", admin);
		expect(domains.find((d) => d.id === "acme-test")?.policy.retrySchedule).toEqual([600, 1200]);
		expect(await page.getByRole("link", { name: "← All domains" }).getAttribute("href")).toBe("/partner/customers/acme/domains");

		await nav.getByRole("link", { name: "Users", exact: true }).click();
		await page.waitForURL(/\/partner\/customers\/acme\/users/);
		await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
		const users = page.getByRole("list", { name: "Users" });
		await users.getByText("alice@acme.test", { exact: true }).waitFor();
		await users.getByText("bob@acme.test", { exact: true }).waitFor();
		// Settings, never mail: no way into anyone's inbox from here.
		expect(await page.getByRole("button", { name: /Open Emergency Inbox/ }).count()).toBe(0);
		await page.getByText("their mail is open only to the company's own administrators").waitFor();

		// A link to Alice's inbox: the API refuses, and the page says so, never a blank window.
		await page.goto(`${stage.service.url}/partner/customers/acme/users/acme-alice/inbox`);
		await page.getByRole("heading", { name: REFUSED, level: 1 }).waitFor();
		await page.getByText("you manage Acme's settings — its domains, delivery and users — but you cannot read its mail").waitFor();
		await page.getByText("This attempt has been recorded in Acme's activity log.").waitFor();
		await banner.getByText("Managing Acme as Demo Partner").waitFor();
		const events = await get<{ events: { kind: string; actorUserId: string; detail: { path?: string; reason?: string } }[] }>(
			"/admin/events?kind=access.",
			admin,
		);
		expect(events.events).toContainEqual(
			expect.objectContaining({
				kind: "access.denied",
				actorUserId: "demo-partner-admin",
				detail: expect.objectContaining({ path: "/api/admin/users/acme-alice/view", reason: "partners never read a customer's mail" }),
			}),
		);
		// The session was not turned into a view of Alice's inbox.
		expect(((await (await page.request.get(`${stage.service.url}/api/session`)).json()) as { viewing: unknown }).viewing).toBeNull();
		await page.getByRole("link", { name: "Back to Acme's users" }).click();
		await page.waitForURL(/\/partner\/customers\/acme\/users$/);

		// Back to the list; the partner's own Administration no longer acts for Acme.
		await banner.getByRole("link", { name: "All customers" }).click();
		await page.waitForURL(/\/partner$/);
		await page.getByRole("heading", { name: "Customers", level: 1 }).waitFor();
		await page.getByRole("link", { name: "Administration" }).click();
		await page.getByText("Your company has no domains yet.").waitFor();
		expect(await page.getByRole("region", { name: "Customer you manage" }).count()).toBe(0);

		// Not one of the partner's customers: a page that says so.
		await page.goto(`${stage.service.url}/partner/customers/not-a-customer/domains`);
		await page.getByRole("heading", { name: "Customer not found", level: 1 }).waitFor();
	});

	it("fits a 375 px phone", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await signIn(page, "partner@demo.test", /\/partner$/);
		await card(page, "Acme").waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.getByRole("button", { name: "New customer" }).click();
		await page.getByLabel("Customer name").waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.goto(`${stage.service.url}/partner/customers/acme/domains/acme-test`);
		await page.getByRole("heading", { name: "acme.test", level: 1 }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.goto(`${stage.service.url}/partner/customers/acme/users/acme-bob/inbox`);
		await page.getByRole("heading", { name: REFUSED, level: 1 }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
	});
});

describe("an operator in Chromium", () => {
	it("lands on the partner list and creates a partner whose admin signs in", async () => {
		const page = await stage.pages.newPage({ viewport: { width: 375, height: 740 } });
		await signIn(page, "operator@demo.test", /\/operator$/);
		await page.getByRole("heading", { name: "Partners", level: 1 }).waitFor();
		const list = page.getByRole("list", { name: "Partners" });
		await list
			.getByRole("listitem")
			.filter({ hasText: "Demo Partner" })
			.getByText(/^\d+ customers$/)
			.waitFor();
		// Its domains at a glance, from their summaries: how many, how many down, how much held.
		await list
			.getByRole("listitem")
			.filter({ hasText: "Demo Partner" })
			.getByText(/^\d+ domains?(, \d+ down)?(, \d+ messages? held)?$/)
			.waitFor();
		// No mailbox, so no mail folders.
		expect(await page.getByRole("link", { name: "Inbox", exact: true }).count()).toBe(0);
		await page.getByRole("link", { name: "Operator" }).waitFor();

		const form = page.getByRole("region", { name: "New partner" });
		await form.getByLabel("Partner name").fill("Northwind IT");
		await form.getByLabel("First administrator's address").fill("not an address");
		await form.getByRole("button", { name: "Create partner" }).click();
		await form.getByText("adminEmail must be an email address.").waitFor();
		await form.getByLabel("First administrator's address").fill("pat@northwind.example");
		await form.getByRole("button", { name: "Create partner" }).click();
		const created = page.getByRole("region", { name: "Northwind IT is ready" });
		const password = (await created.getByLabel("One-time password").textContent()) ?? "";
		expect(password.length).toBeGreaterThanOrEqual(16);
		await list.getByRole("listitem").filter({ hasText: "Northwind IT" }).getByText("1 customer", { exact: true }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		// The app's root is the operator's page too, not an empty inbox.
		await page.goto(`${stage.service.url}/`);
		await page.waitForURL(/\/operator$/);

		const pat = await stage.pages.newPage();
		// Partners always sign in with a second factor: set up first.
		await signIn(pat, "pat@northwind.example", /\/account\/security$/, password);
		await enrolAuthenticator(pat);
		await pat.waitForURL(/\/partner$/);
		await card(pat, "Northwind IT").getByText("Your company").waitFor();
	});

	it("is the only one who sees the operator page; partner pages are for partners", async () => {
		const page = await stage.pages.newPage();
		await signIn(page, "admin@acme.test", /\/$/);
		expect(await page.getByRole("link", { name: "Partner", exact: true }).count()).toBe(0);
		await page.goto(`${stage.service.url}/operator`);
		await page.getByRole("heading", { name: "This page is for the operators of this service.", level: 1 }).waitFor();
		await page.goto(`${stage.service.url}/partner`);
		await page.getByRole("heading", { name: "The customer list is for partners' administrators.", level: 1 }).waitFor();
		// A customer admin reaching for another company through the drill-down: the API's refusal, as a page.
		await page.goto(`${stage.service.url}/partner/customers/globex/domains`);
		await page.getByRole("heading", { name: "Customers are managed by their partner", level: 1 }).waitFor();
		await page.getByText("Only a partner's administrators can manage customers here.").waitFor();
	});
});
