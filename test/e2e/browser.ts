// The stage for the end-to-end tests: the local service and headless Chromium per test file,
// pages that record what a page of ours must never do (open a script dialog, reach a host
// other than the service), and the sign-in every test starts with.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Secret, TOTP } from "otpauth";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page, type Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import { type LocalService, startLocal } from "../../scripts/lib/local-service";
import { freePort } from "../../scripts/lib/ports";
import { nextDemoRecoveryCode } from "./client";

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });

/** Pages against one service; `takeViolations()` after each test must come back empty. */
export class WatchedPages {
	private readonly contexts: BrowserContext[] = [];
	private dialogs: string[] = [];
	private foreign: Request[] = [];

	constructor(
		private readonly browser: Browser,
		private readonly baseUrl: string,
	) {}

	async newPage(options: BrowserContextOptions = {}): Promise<Page> {
		const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
		this.contexts.push(context);
		context.on("request", (r) => {
			if (!r.url().startsWith(`${this.baseUrl}/`) && !/^(about|data|blob):/.test(r.url())) this.foreign.push(r);
		});
		context.on("dialog", (d) => {
			this.dialogs.push(d.message());
			void d.dismiss();
		});
		return context.newPage();
	}

	/**
	 * Requests to other hosts that left the browser so far. A load the frame's CSP refused never
	 * reached the network (Chromium reports it failed with "csp"); one still pending counts.
	 */
	leaked(): string[] {
		return this.foreign.filter((r) => !/^csp$|ERR_BLOCKED_BY_CSP/.test(r.failure()?.errorText ?? "")).map((r) => r.url());
	}

	/** Forgets the requests to other hosts seen so far: for a load the user just allowed. */
	forgetForeign(): void {
		this.foreign = [];
	}

	/** Closes this test's pages and hands back what they did that they must not. */
	async takeViolations(): Promise<{ dialogs: string[]; foreign: string[] }> {
		for (const c of this.contexts.splice(0)) await c.close();
		const seen = { dialogs: this.dialogs, foreign: this.leaked() };
		this.dialogs = [];
		this.foreign = [];
		return seen;
	}
}

/** Signs in through the login page and waits for the page a signed-in person lands on. */
export async function signInPage(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto(`${baseUrl}/`);
	await page.waitForURL(/\/login/);
	await page.getByLabel("Email address").fill(email);
	await page.getByLabel("Password").fill(password);
	await page.getByRole("button", { name: "Sign in", exact: true }).click();
	const code = nextDemoRecoveryCode(email);
	if (code) {
		// The demo partner and operator have an authenticator: the sign-in page asks for it next.
		await page.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
		await page.getByLabel("Recovery code").fill(code);
		await page.getByRole("button", { name: "Continue" }).click();
	}
	await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/** The code an authenticator app shows for `secret` at `at` (RFC 6238, as the worker checks it). */
export const codeAt = (secret: string, at = Date.now()) =>
	new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: at });

/**
 * On the Security page, as a new admin, partner or operator is sent there on first sign-in: sets
 * up an authenticator app (the key the page shows, turned into a code as a phone would), keeps
 * the recovery codes, and is let on. Returns the key.
 */
export async function enrolAuthenticator(page: Page): Promise<string> {
	await page.getByRole("status").getByText("Your role signs in with a second factor.").waitFor();
	await page.getByRole("button", { name: "Set up an authenticator app" }).click();
	const secret = ((await page.locator(".totp-secret").textContent()) ?? "").trim();
	await page.getByLabel("Code the app shows").fill(codeAt(secret));
	await page.getByRole("button", { name: "Turn on" }).click();
	await page.getByRole("button", { name: "I have kept them" }).click();
	await page
		.waitForURL((url) => url.pathname !== "/account/security")
		.catch(async (err) => {
			throw new Error(`still on ${page.url()}: ${await page.locator("main").textContent()}`, { cause: err });
		});
	return secret;
}

/** The messages the stage's local outbox kept for `to`, oldest first: each .eml beside a .json envelope. */
export function outboxFor(stage: Stage, to: string): string[] {
	const dir = stage.service.outbox.dir as string;
	return readdirSync(dir)
		.filter((f) => f.endsWith(".json"))
		.sort()
		.filter((f) => (JSON.parse(readFileSync(join(dir, f), "utf8")) as { to: string[] }).to.includes(to))
		.map((f) => readFileSync(join(dir, f.replace(/\.json$/, ".eml")), "utf8"));
}

/** What one end-to-end test file runs against: filled in by the hooks `browserStage` registers. */
export interface Stage {
	service: LocalService;
	browser: Browser;
	pages: WatchedPages;
	/** The service's state (a temporary directory): room for a test's own mail servers too. */
	stateDir: string;
}

/**
 * A fresh local service (its own state, free ports) and Chromium for one test file, started
 * before its tests and stopped after them; after each test its pages must have opened no
 * dialog and reached no other host. The file's own beforeAll hooks run after these.
 */
export function browserStage(name: string): Stage {
	const stage = {} as Stage;
	beforeAll(async () => {
		stage.stateDir = mkdtempSync(join(tmpdir(), `ei-${name}-`));
		stage.service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir: stage.stateDir });
		stage.browser = await launchChromium();
		stage.pages = new WatchedPages(stage.browser, stage.service.url);
	});
	afterAll(async () => {
		await stage.browser?.close();
		await stage.service?.stop();
	});
	afterEach(async () => {
		expect(await stage.pages.takeViolations()).toEqual({ dialogs: [], foreign: [] });
	});
	return stage;
}
