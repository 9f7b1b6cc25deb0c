// The delivery engine from `npm start`, as the README tells an admin to try it: mail to
// alice@acme.test is held (Acme's server is down), the admin points acme.test at a live
// server and asks for a retry, and every held message arrives once, in order, intact.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Downstream, startDownstream } from "../../scripts/lib/downstream";
import { type LocalService, startLocal } from "../../scripts/lib/local-service";
import { freePort } from "../../scripts/lib/ports";
import { inbox, signIn as signInAs } from "./client";

let service: LocalService;
let acmeServer: Downstream;
const wait = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
	const stateDir = mkdtempSync(join(tmpdir(), "ei-recovery-"));
	service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
	acmeServer = await startDownstream({ port: await freePort(), dir: join(stateDir, "acme-server"), name: "mx.acme.test" });
});

afterAll(async () => {
	await acmeServer?.close();
	await service?.stop();
});

const signIn = (email: string) => signInAs(service.url, email);

async function admin(cookie: string, path: string, init: RequestInit = {}) {
	const res = await fetch(`${service.url}/api/admin${path}`, { ...init, headers: { Cookie: cookie, "Content-Type": "application/json" } });
	expect(res.status, path).toBe(200);
	return res.json() as Promise<Record<string, unknown>>;
}

function raw(n: number, to: string): string {
	return [
		"From: Zed <zed@example.org>",
		`To: ${to}`,
		`Subject: held ${n}`,
		"Date: Fri, 27 Nov 2026 12:00:00 +0000",
		`Message-ID: <held-${n}-${crypto.randomUUID()}@example.org>`,
		"",
		`Message number ${n}.`,
		"",
	].join("\r\n");
}

const received = (dir: string) =>
	readdirSync(dir)
		.filter((f) => f.endsWith(".eml"))
		.sort()
		.map((f) => ({
			raw: readFileSync(join(dir, f), "utf8"),
			envelope: JSON.parse(readFileSync(join(dir, f.replace(/\.eml$/, ".json")), "utf8")) as { from: string; to: string[] },
		}));

describe("recovery from an outage, from npm start", () => {
	it("holds mail for acme.test, then delivers every held message once, in order, after a retry", async () => {
		const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: service.smtpPort, ignoreTLS: true });
		const sent = [1, 2, 3].map((n) => raw(n, "alice@acme.test"));
		for (const message of sent) await smtp.sendMail({ envelope: { from: "zed@example.org", to: ["alice@acme.test"] }, raw: message });

		const cookie = await signIn("admin@acme.test");
		const acme = async () =>
			((await admin(cookie, "/domains")).domains as { id: string; health: { state: string }; counts: Record<string, number> }[]).find(
				(d) => d.id === "acme-test",
			);
		await vi.waitFor(async () => expect((await acme())?.health.state).toBe("down"), wait);
		await vi.waitFor(async () => expect((await acme())?.counts.delivered).toBe(0), wait);
		expect(await inbox(service.url, await signIn("alice@acme.test"))).toHaveLength(3);

		await admin(cookie, "/domains/acme-test", {
			method: "PATCH",
			body: JSON.stringify({ delivery: { host: "127.0.0.1", port: acmeServer.port, tls: "off" } }),
		});
		expect(await admin(cookie, "/domains/acme-test/retry", { method: "POST" })).toMatchObject({ health: "up" });

		await vi.waitFor(() => expect(acmeServer.received()).toBe(3), wait);
		const got = received(acmeServer.dir as string);
		expect(got.map((m) => /Subject: (held \d)/.exec(m.raw)?.[1])).toEqual(["held 1", "held 2", "held 3"]);
		for (const [i, m] of got.entries()) {
			expect(m.envelope).toEqual({ from: "zed@example.org", to: ["alice@acme.test"] });
			expect(m.raw).toMatch(/^Received: by [^\r\n]+\(Emergency Inbox\)[^\r\n]*\r\n\tfor <alice@acme\.test>; [^\r\n]+\r\n/);
			expect(m.raw.endsWith(sent[i] as string)).toBe(true);
		}
		await vi.waitFor(async () => expect((await acme())?.counts.delivered).toBe(3), wait);
		// Once more for luck: another retry sends nothing new.
		await admin(cookie, "/domains/acme-test/retry", { method: "POST" });
		expect(acmeServer.received()).toBe(3);
	});

	it("relays mail for the healthy globex.test straight to its server", async () => {
		const smtp = nodemailer.createTransport({ host: "127.0.0.1", port: service.smtpPort, ignoreTLS: true });
		const message = raw(9, "carol@globex.test");
		await smtp.sendMail({ envelope: { from: "zed@example.org", to: ["carol@globex.test"] }, raw: message });
		await vi.waitFor(() => expect(service.globex.received()).toBe(1), wait);
		expect(received(service.globex.dir as string)[0]?.raw.endsWith(message)).toBe(true);
		expect(await inbox(service.url, await signIn("carol@globex.test"))).toEqual([]);
	});
});
