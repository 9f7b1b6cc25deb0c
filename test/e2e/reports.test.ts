// The Reports page in headless Chromium: acme.test is down in the demo (nothing listens at its
// destination) and one message is held for alice. admin@acme.test opens Administration →
// Reports and sees the outage still going on, the chart drawn, the held message in the totals
// table, and downloads the CSV; a period the API refuses shows the API's own words; the partner
// sees the same report in its drill-down into Acme; the page fits a 375 px phone in dark mode.
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import type { Page } from "playwright-core";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { browserStage, signInPage, type WatchedPages } from "./browser";
import { signIn as apiSignIn, inbox } from "./client";

const SUBJECT = "Held for the report";
const wait = { timeout: 30_000, interval: 200 };

/** Anything the Content-Security-Policy refused (uPlot styles its elements from script). */
const cspViolations: string[] = [];

const stage = browserStage("reports");

beforeAll(async () => {
	// The failed delivery attempt is what marks acme.test down (a domain.down event).
	const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: stage.service.smtpPort, ignoreTLS: true });
	await smtp.sendMail({ from: "zed@example.org", to: "alice@acme.test", subject: SUBJECT, text: "Keep this for Alice." });
	const admin = await apiSignIn(stage.service.url, "admin@acme.test");
	await vi.waitFor(async () => {
		const res = await fetch(`${stage.service.url}/api/admin/reports?domain=acme-test`, { headers: { Cookie: admin } });
		expect(((await res.json()) as { outages: unknown[] }).outages).toHaveLength(1);
	}, wait);
	const alice = await apiSignIn(stage.service.url, "alice@acme.test");
	await vi.waitFor(async () => expect((await inbox(stage.service.url, alice)).map((m) => m.subject)).toContain(SUBJECT), wait);
});

afterEach(async () => {
	expect(await stage.pages.takeViolations()).toEqual({ dialogs: [], foreign: [] });
	expect(cspViolations.splice(0)).toEqual([]);
});

async function reportsPage(options: Parameters<WatchedPages["newPage"]>[0] = {}): Promise<Page> {
	const page = await stage.pages.newPage(options);
	page.on("console", (m) => {
		if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
	});
	await signInPage(page, stage.service.url, "admin@acme.test");
	return page;
}

describe("the Reports page", () => {
	it("shows acme.test's outage, the chart and the held message, and downloads the CSV", async () => {
		const page = await reportsPage();
		await page.getByRole("link", { name: "Administration" }).click();
		await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Reports" }).click();
		await page.waitForURL(/\/admin\/reports/);
		await page.getByRole("heading", { name: "Reports", level: 1 }).waitFor();

		const outages = page.getByRole("table", { name: /^Outages and maintenance holds of acme\.test/ });
		const outage = outages.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Outage", exact: true }) });
		await expect(outage.textContent()).resolves.toMatch(/Still down/);
		await expect(outage.locator(".report-cause").textContent()).resolves.toMatch(/127\.0\.0\.1:9|connect/i);
		// The company's one domain and the last 30 days, until the admin picks otherwise.
		expect(await page.getByLabel("Domain", { exact: true }).inputValue()).toBe("acme-test");
		expect(await page.getByRole("radio", { name: "30 days" }).isChecked()).toBe(true);
		await expect(page.locator(".report-summary").textContent()).resolves.toMatch(/Availability\d[\d.,]* %/);

		const chart = page.getByRole("img", { name: /^Chart of mail per day for acme\.test/ });
		await chart.locator("canvas").waitFor();
		const box = await chart.locator("canvas").boundingBox();
		expect(box?.width).toBeGreaterThan(300);
		expect(box?.height).toBeGreaterThan(100);

		const totals = page.getByRole("table", { name: /^Mail for acme\.test/ });
		const held = totals.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "Held", exact: true }) });
		await expect(held.locator("td.num").textContent()).resolves.toBe("1");

		const [download] = await Promise.all([
			page.waitForEvent("download"),
			page.getByRole("link", { name: "Download CSV (mail per day)" }).click(),
		]);
		expect(download.suggestedFilename()).toMatch(/^mail-per-day_acme\.test_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv$/);
		const csv = readFileSync((await download.path()) as string, "utf8").split("\r\n");
		expect(csv[0]).toBe('"day_start_utc","received","held","delivered_after_recovery","bounced"');
		expect(csv.filter((l) => /^"\d{4}-/.test(l))).toHaveLength(30);

		// Seven days by the hour: a new chart, and the choice is in the URL.
		await page.getByRole("radio", { name: "7 days" }).check();
		await page.waitForURL(/period=7d/);
		await page
			.getByRole("img", { name: /^Chart of mail per hour/ })
			.locator("canvas")
			.waitFor();
		await page.getByRole("heading", { name: "Mail per hour", level: 2 }).waitFor();

		// Hourly over more than 14 days: the API's words, next to the choice that caused them.
		await page.getByRole("radio", { name: "90 days" }).check();
		await page.getByLabel("Per", { exact: true }).selectOption("hour");
		await page.getByRole("alert").getByText("bucket must be day for periods longer than 14 days (the period is 90 days)").waitFor();
	});

	it("works in a partner's drill-down into the customer, CSV included", async () => {
		const page = await stage.pages.newPage();
		await signInPage(page, stage.service.url, "partner@demo.test");
		await page.goto(`${stage.service.url}/partner/customers/acme/reports`);
		await page.getByText("Managing Acme as Demo Partner").waitFor();
		const outages = page.getByRole("table", { name: /^Outages and maintenance holds of acme\.test/ });
		await expect(outages.textContent()).resolves.toMatch(/Still down/);
		const link = page.getByRole("link", { name: "Download outages CSV" });
		expect(new URL((await link.getAttribute("href")) as string, stage.service.url).searchParams.get("customer")).toBe("acme");
		const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
		const csv = readFileSync((await download.path()) as string, "utf8").split("\r\n");
		expect(csv[0]).toBe('"timeline","start_utc","end_utc","seconds","ongoing","cause"');
		expect(csv[1]).toMatch(/^"outage","[^"]+","","\d+","yes",/);
	});

	it("fits a 375 px phone in dark mode", async () => {
		const page = await reportsPage({ viewport: { width: 375, height: 800 }, colorScheme: "dark" });
		await page.goto(`${stage.service.url}/admin/reports?domain=acme-test&period=30d`);
		const canvas = page.getByRole("img", { name: /^Chart of mail per day/ }).locator("canvas");
		await canvas.waitFor();
		const box = await canvas.boundingBox();
		expect(box?.width).toBeGreaterThan(200);
		expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
		expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
		// The page's dark palette, not a white card on a dark page.
		const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
		expect(background).toBe("rgb(21, 23, 27)");
	});
});
