// The customer admin's pages in headless Chromium, through the README's outage story: acme.test
// is down and holding mail; admin@acme.test finds it under Administration → Domains, points the
// domain at a live server, tests the connection, retries, and the held message arrives. Along
// the way: a refused setting shows the API's own words, the activity log records the changes,
// and a user who is not an admin gets a page that says so.
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Downstream, startDownstream } from "../../scripts/lib/downstream";
import { freePort } from "../../scripts/lib/ports";
import { browserStage, signInPage } from "./browser";
import { signIn as apiSignIn, inbox } from "./client";

const SUBJECT = "Held while the server is down";
const wait = { timeout: 30_000, interval: 200 };

let acmeServer: Downstream;

interface DomainView {
	id: string;
	health: { state: string };
	policy: { retrySchedule: number[] };
}

async function acme(cookie: string): Promise<DomainView | undefined> {
	const res = await fetch(`${stage.service.url}/api/admin/domains`, { headers: { Cookie: cookie } });
	expect(res.status).toBe(200);
	return ((await res.json()) as { domains: DomainView[] }).domains.find((d) => d.id === "acme-test");
}

const stage = browserStage("admin");

beforeAll(async () => {
	acmeServer = await startDownstream({ port: await freePort(), dir: join(stage.stateDir, "acme-server"), name: "mx.acme.test" });
	// One message through the SMTP ingress: the failed delivery attempt is what marks acme.test down.
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	await smtp.sendMail({ from: "zed@example.org", to: "alice@acme.test", subject: SUBJECT, text: "Please hold this for Alice." });
	const admin = await apiSignIn(stage.service.url, "admin@acme.test");
	await vi.waitFor(async () => expect((await acme(admin))?.health.state).toBe("down"), wait);
	const alice = await apiSignIn(stage.service.url, "alice@acme.test");
	await vi.waitFor(async () => expect((await inbox(stage.service.url, alice)).map((m) => m.subject)).toContain(SUBJECT), wait);
});

afterAll(async () => {
	await acmeServer?.close();
});

const newPage = (viewport = { width: 1280, height: 900 }) => stage.pages.newPage({ viewport });

async function signIn(page: Page, email: string) {
	await signInPage(page, stage.service.url, email);
	await page.getByRole("heading", { name: "Inbox", exact: true, level: 1 }).waitFor();
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

describe("the admin pages in Chromium", () => {
	it("brings acme.test back: destination, test, retry, and the held message arrives", async () => {
		const page = await newPage();
		await signIn(page, "admin@acme.test");
		await page.getByRole("link", { name: "Administration" }).click();
		await page.waitForURL(/\/admin\/domains$/);
		await page.getByRole("heading", { name: "Domains", level: 1 }).waitFor();
		const card = page.locator("li.domain-card", { hasText: "acme.test" });
		await expect(card.locator(".health").textContent()).resolves.toBe("Down");
		await card.getByText("Down since").waitFor();

		await card.getByRole("link", { name: "acme.test" }).click();
		await page.getByRole("heading", { name: "acme.test", level: 1 }).waitFor();
		const health = page.getByRole("region", { name: "Health" });
		const delivery = page.getByRole("region", { name: "Delivery destination" });
		await expect(health.locator(".health").textContent()).resolves.toBe("Down");
		await delivery.getByText("Cloudflare Workers cannot connect to port 25.").waitFor();

		// A port the API refuses: its 422 detail appears next to the form, tied to the field.
		await delivery.getByLabel("Host").fill("127.0.0.1");
		await delivery.getByLabel("Port").fill("70000");
		await delivery.getByLabel("TLS").selectOption("off");
		await delivery.getByRole("button", { name: "Save destination" }).click();
		await delivery.getByText("delivery.port must be a port number from 1 to 65535").waitFor();
		expect(await delivery.getByLabel("Port").getAttribute("aria-invalid")).toBe("true");

		await delivery.getByLabel("Port").fill(String(acmeServer.port));
		await delivery.getByRole("button", { name: "Save destination" }).click();
		await delivery.getByText("Destination saved.").waitFor();
		await health.getByText(`127.0.0.1:${acmeServer.port} (TLS off)`).waitFor();

		await delivery.getByRole("button", { name: "Test connection" }).click();
		await delivery.getByText("Connection works:").waitFor();
		await expect(delivery.locator("pre.transcript").textContent()).resolves.toMatch(/^S: 220 /m);
		expect(acmeServer.received()).toBe(0);

		await health.getByRole("button", { name: "Retry now" }).click();
		await health.getByText("Your server answered").waitFor();
		await vi.waitFor(async () => expect(await health.locator(".health").textContent()).toBe("Up"), wait);
		await vi.waitFor(() => expect(acmeServer.received()).toBe(1), wait);
		// The domain's delivery log, on its page: held while down, then delivered.
		const log = page.getByRole("region", { name: "Delivery log" });
		await vi.waitFor(async () => {
			await log.getByRole("button", { name: "Refresh" }).click();
			const kinds = await log.locator("ol.event-list code").allTextContents();
			expect(kinds[0]).toBe("delivered");
			expect(kinds).toContain("received");
		}, wait);
		await log
			.getByText(/^To alice@acme\.test — 250 /)
			.first()
			.waitFor();

		// The policy in minutes; the API gets seconds, and a step under a minute is refused in its words.
		const policy = page.getByRole("region", { name: "Policy" });
		const schedule = policy.getByLabel("Retry schedule");
		expect(await schedule.inputValue()).toBe("5, 15, 30, 60");
		await schedule.fill("0.5, 10");
		await policy.getByRole("button", { name: "Save policy" }).click();
		await policy.getByText("retrySchedule entries must be whole seconds from 60 to 86400").waitFor();
		expect(await schedule.getAttribute("aria-invalid")).toBe("true");
		await schedule.fill("10, 20");
		await policy.getByRole("button", { name: "Save policy" }).click();
		await policy.getByText("Policy saved.").waitFor();
		expect((await acme(await apiSignIn(stage.service.url, "admin@acme.test")))?.policy.retrySchedule).toEqual([600, 1200]);

		await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Activity" }).click();
		await page.getByRole("heading", { name: "Activity", level: 1 }).waitFor();
		const events = page.locator("ol.event-list > li");
		await events.filter({ hasText: "domain.retry" }).first().waitFor();
		await events.filter({ hasText: "domain.updated" }).first().waitFor();
		await page.getByLabel("Show").selectOption({ label: "Domain changes" });
		await page.waitForURL(/kind=domain\./);
		await vi.waitFor(async () => {
			const kinds = await page.locator("ol.event-list code").allTextContents();
			expect(kinds.length).toBeGreaterThan(0);
			expect(kinds.every((k) => k.startsWith("domain."))).toBe(true);
			// Newest first: the policy change came after the retry.
			expect(kinds[0]).toBe("domain.updated");
			expect(kinds).toContain("domain.retry");
		}, wait);
	});

	it("fits a 375 px phone", async () => {
		const page = await newPage({ width: 375, height: 740 });
		await signIn(page, "admin@acme.test");
		await page.getByRole("link", { name: "Administration" }).click();
		await page.locator("li.domain-card", { hasText: "acme.test" }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.goto(`${stage.service.url}/admin/domains/acme-test`);
		await page.getByRole("heading", { name: "acme.test", level: 1 }).waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
		await page.goto(`${stage.service.url}/admin/activity`);
		await page.locator("ol.event-list > li").first().waitFor();
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
	});

	it("tells a user who is not an admin that administration is for administrators", async () => {
		const alice = await apiSignIn(stage.service.url, "alice@acme.test");
		expect((await fetch(`${stage.service.url}/api/admin/domains`, { headers: { Cookie: alice } })).status).toBe(403);

		const page = await newPage({ width: 375, height: 740 });
		await signIn(page, "alice@acme.test");
		expect(await page.getByRole("link", { name: "Administration" }).count()).toBe(0);
		for (const path of ["/admin", "/admin/domains/acme-test", "/admin/activity"]) {
			await page.goto(`${stage.service.url}${path}`);
			await page.getByRole("heading", { name: "Administration is for your company's administrators.", level: 1 }).waitFor();
		}
		expect(await scrollWidth(page)).toBeLessThanOrEqual(375);
	});
});
