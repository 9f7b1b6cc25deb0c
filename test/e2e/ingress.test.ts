// End to end, as a newcomer would run it: migrations, demo seed, `wrangler dev` and the SMTP
// ingress, then a real SMTP client (nodemailer) sends mail and the API reads it back.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalService, startLocal } from "../../scripts/lib/local-service";
import { freePort } from "../../scripts/lib/ports";
import { inbox as inboxOf, signIn as signInAs } from "./client";

const stateDir = mkdtempSync(join(tmpdir(), "ei-e2e-"));
let service: LocalService;

async function start() {
	service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
}

function smtp() {
	return nodemailer.createTransport({ host: "127.0.0.1", port: service.smtpPort, secure: false, ignoreTLS: true });
}

const signIn = (email: string) => signInAs(service.url, email);
const inbox = (cookie: string) => inboxOf(service.url, cookie);

function rawMessage(subject: string): string {
	return [
		"From: Zed <zed@example.org>",
		"To: Alice <alice@acme.test>",
		`Subject: ${subject}`,
		"Date: Fri, 27 Nov 2026 12:00:00 +0000",
		`Message-ID: <${crypto.randomUUID()}@example.org>`,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
		"",
		"Grüße aus der Ferne.",
		".leading dot survives SMTP dot-stuffing",
		"",
	].join("\r\n");
}

beforeAll(start);
afterAll(() => service?.stop());

describe("the SMTP ingress in front of the local worker", () => {
	it("accepts mail for alice@acme.test, which she reads back byte-exact", async () => {
		const raw = rawMessage(`e2e ${Date.now()}`);
		const info = await smtp().sendMail({ envelope: { from: "zed@example.org", to: ["alice@acme.test"] }, raw });
		expect(info.response).toMatch(/^250 /);
		const cookie = await signIn("alice@acme.test");
		// acme.test's server is down: the message is held and shows up in her Emergency Inbox.
		const found = await vi.waitFor(
			async () => {
				const hit = (await inbox(cookie)).find((m) => raw.includes(m.subject));
				expect(hit).toBeDefined();
				return hit;
			},
			{ timeout: 30_000, interval: 100 },
		);
		expect(["spooled", "deferred"]).toContain(found?.status);
		const back = await fetch(`${service.url}/api/mailbox/messages/${found?.id}/raw`, { headers: { Cookie: cookie } });
		expect(await back.text()).toBe(raw);
	});

	it("answers with the worker's own reject codes", async () => {
		const send = (to: string) => smtp().sendMail({ envelope: { from: "zed@example.org", to: [to] }, raw: rawMessage("rejected") });
		await expect(send("nobody@acme.test")).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining("5.1.1") });
		await expect(send("someone@not-ours.test")).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining("5.1.2") });
	});

	it("takes one recipient per transaction and answers 452 4.5.3 for the next", async () => {
		const info = await smtp().sendMail({
			envelope: { from: "zed@example.org", to: ["alice@acme.test", "bob@acme.test"] },
			raw: rawMessage(`two ${Date.now()}`),
		});
		expect(info.accepted).toEqual(["alice@acme.test"]);
		expect(info.rejected).toEqual(["bob@acme.test"]);
		expect(info.rejectedErrors?.[0]?.response).toMatch(/^452 4\.5\.3 /);
	});

	it("keeps the spool and the demo accounts across a restart", async () => {
		const before = await inbox(await signIn("alice@acme.test"));
		expect(before.length).toBeGreaterThan(0);
		await service.stop();
		await start();
		const after = await inbox(await signIn("alice@acme.test"));
		expect(after.map((m) => m.id)).toEqual(before.map((m) => m.id));
	});
});
