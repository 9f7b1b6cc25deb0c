// SMTP recipient discovery against a real SMTP server scripted per RCPT: what the customer's
// server answers is recorded per address, the session never sends DATA, and production refuses
// what delivery refuses (port 25, loopback) before any connection is made.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/api/app";
import type { DiscoveryPage, DiscoveryRunResult } from "../../src/api/directory-types";
import { discoveryOutcome } from "../../src/relay/smtp-discover";
import { configure, scriptedServer } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});

async function discover(t: Tenant, admin: string, body: unknown) {
	const res = await api(`/admin/domains/${t.domainId}/discover`, admin, json("POST", body));
	return { status: res.status, body: (await res.json()) as DiscoveryRunResult & { detail?: string } };
}

async function listed(t: Tenant, admin: string) {
	return ((await (await api(`/admin/domains/${t.domainId}/discovery`, admin)).json()) as DiscoveryPage).recipients;
}

describe("discoveryOutcome", () => {
	it("counts 250/251 as accepted, 550/551/553 with 5.1.x as refused, and everything else as unknown", () => {
		expect(discoveryOutcome({ code: 250, enhanced: "2.1.5" })).toBe("accepted");
		expect(discoveryOutcome({ code: 251, enhanced: "2.1.5" })).toBe("accepted");
		expect(discoveryOutcome({ code: 550, enhanced: "5.1.1" })).toBe("refused");
		expect(discoveryOutcome({ code: 551, enhanced: "5.1.6" })).toBe("refused");
		expect(discoveryOutcome({ code: 553, enhanced: "5.1.3" })).toBe("refused");
		expect(discoveryOutcome({ code: 550, enhanced: "5.7.1" })).toBe("unknown");
		expect(discoveryOutcome({ code: 550, enhanced: "5.0.0" })).toBe("unknown");
		expect(discoveryOutcome({ code: 451, enhanced: "4.3.0" })).toBe("unknown");
		expect(discoveryOutcome({ code: 252, enhanced: "2.0.0" })).toBe("unknown");
	});
});

describe("recipient discovery", () => {
	it("asks the domain's server RCPT by RCPT, records each answer, and never sends DATA", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const at = (local: string) => `${local}@${t.domain}`;
		const server = await scriptedServer({
			rcpt: {
				[at("ghost")]: "550 5.1.1 no such user here",
				[at("moved")]: "551 5.1.6 mailbox has moved",
				[at("busy")]: "451 4.3.0 try again later",
				[at("policy")]: "550 5.7.1 relaying denied",
			},
		});
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const addresses = [`Carol@${t.domain.toUpperCase()}`, at("dave"), at("ghost"), at("moved"), at("busy"), at("policy"), t.alice.email];
		const { status, body } = await discover(t, admin, { addresses });
		expect(status, body.detail).toBe(200);
		expect(body).toMatchObject({ source: "given", candidates: 7, accepted: 3, refused: 2, unknown: 2, notAsked: 0, stoppedBy: null });
		expect(body.transcript).toContain("C: MAIL FROM:<>");
		expect(body.transcript).toContain(`C: RCPT TO:<${at("carol")}>`);
		const byAddress = Object.fromEntries(body.recipients.map((r) => [r.address, [r.outcome, r.code, r.text, r.known]]));
		expect(byAddress).toEqual({
			[at("carol")]: ["accepted", 250, expect.any(String), null],
			[at("dave")]: ["accepted", 250, expect.any(String), null],
			[t.alice.email]: ["accepted", 250, expect.any(String), "user"],
			[at("ghost")]: ["refused", 550, "5.1.1 no such user here", null],
			[at("moved")]: ["refused", 551, "5.1.6 mailbox has moved", null],
			[at("busy")]: ["unknown", 451, "4.3.0 try again later", null],
			[at("policy")]: ["unknown", 550, "5.7.1 relaying denied", null],
		});

		// The server saw one session with no DATA and received no message.
		const commands = await server.commands();
		expect(commands).not.toContain("DATA");
		expect(commands.filter((c) => c === "RCPT")).toHaveLength(7);
		expect(commands.filter((c) => c === "MAIL")).toHaveLength(1);
		expect(commands.at(-1)).toBe("QUIT");
		expect(await server.connections()).toBe(1);
		expect(await server.messages()).toEqual([]);

		// Kept for the admin, with what already owns each address.
		const list = await listed(t, admin);
		expect(list.map((r) => `${r.address} ${r.outcome} ${r.known ?? "-"}`)).toEqual(
			[
				`${t.alice.email} accepted user`,
				`${at("busy")} unknown -`,
				`${at("carol")} accepted -`,
				`${at("dave")} accepted -`,
				`${at("ghost")} refused -`,
				`${at("moved")} refused -`,
				`${at("policy")} unknown -`,
			].sort(),
		);
		const events = (await (await api("/admin/events?kind=discovery.", admin)).json()) as { events: { detail: Record<string, unknown> }[] };
		expect(events.events.map((e) => e.detail)).toEqual([
			{ source: "given", candidates: 7, accepted: 3, refused: 2, unknown: 2, notAsked: 0, host: "127.0.0.1", port: server.port },
		]);

		// A second run replaces an address's answer with the latest.
		await server.setScript({ rcpt: { [at("busy")]: "550 5.1.1 gone now" } });
		await discover(t, admin, { addresses: [at("busy")] });
		expect((await listed(t, admin)).find((r) => r.address === at("busy"))).toMatchObject({ outcome: "refused", code: 550 });
		await server.stop();
	});

	it("keeps to the server's recipient limit (452) by starting another transaction, without pipelining too", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer({ maxRecipients: 2, pipelining: false, rcpt: { [`u3@${t.domain}`]: "550 5.1.1 unknown" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const addresses = [1, 2, 3, 4, 5].map((n) => `u${n}@${t.domain}`);
		const { body } = await discover(t, admin, { addresses });
		expect(body).toMatchObject({ candidates: 5, accepted: 4, refused: 1, unknown: 0, notAsked: 0 });
		const commands = await server.commands();
		expect(commands.filter((c) => c === "MAIL")).toHaveLength(3);
		expect(commands).not.toContain("DATA");
		expect(await server.messages()).toEqual([]);
		await server.stop();
	});

	it("offers the recipients of recent catch-all mail that are not users yet when no address is given", async () => {
		const t = await createTenant({ unknownRecipients: "accept" });
		const admin = await signInAdmin(t);
		await deliver("x@example.org", `sales@${t.domain}`, simpleMessage("one"));
		await deliver("x@example.org", `Sales+promo@${t.domain}`, simpleMessage("two"));
		await deliver("x@example.org", `billing@${t.domain}`, simpleMessage("three"));
		await deliver("x@example.org", t.alice.email, simpleMessage("known"));
		const server = await scriptedServer({ rcpt: { [`billing@${t.domain}`]: "550 5.1.1 no such user" } });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const { status, body } = await discover(t, admin, {});
		expect(status).toBe(200);
		expect(body).toMatchObject({ source: "recent-mail", candidates: 2, accepted: 1, refused: 1 });
		expect(body.recipients.map((r) => [r.address, r.outcome]).sort()).toEqual([
			[`billing@${t.domain}`, "refused"],
			[`sales@${t.domain}`, "accepted"],
		]);
		await server.stop();
	});

	it("records nothing and says why when the server refuses the session", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer({ greeting: "554 5.3.2 no service" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const { status, body } = await discover(t, admin, { addresses: [`a@${t.domain}`, `b@${t.domain}`] });
		expect(status).toBe(200);
		expect(body).toMatchObject({ candidates: 2, accepted: 0, refused: 0, unknown: 0, notAsked: 2, stoppedBy: { code: 554 } });
		expect(body.stoppedBy?.text).toMatch(/no service/);
		expect(await listed(t, admin)).toEqual([]);
		await server.stop();
	});

	it("refuses bad requests before any connection, and answers others 404, users 403", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const other = await createTenant();
		const cases: [unknown, number, RegExp][] = [
			[{ addresses: [`a@${other.domain}`] }, 422, /^addresses\[0\]: a@.* is not on /],
			[{ addresses: ["nope"] }, 422, /^addresses\[0\]: "nope" is not an email address/],
			[{ addresses: "a@b.test" }, 422, /^addresses must be a list/],
			[{ addresses: Array.from({ length: 501 }, (_, i) => `u${i}@${t.domain}`) }, 422, /^addresses: at most 500 a run/],
			[{}, 422, /^addresses: nothing to check/],
			[{ addresses: [`a@${t.domain}`] }, 409, /delivery host and port first/],
		];
		for (const [body, status, detail] of cases) {
			const res = await discover(t, admin, body);
			expect(res.status, res.body.detail).toBe(status);
			expect(res.body.detail).toMatch(detail);
		}
		const otherAdmin = await signInAdmin(other);
		expect((await discover(t, otherAdmin, { addresses: [`a@${t.domain}`] })).status).toBe(404);
		expect((await api(`/admin/domains/${t.domainId}/discovery`, otherAdmin)).status).toBe(404);
		expect((await discover(t, await signIn(t.alice.email), { addresses: [`a@${t.domain}`] })).status).toBe(403);
	});

	it("in production, refuses port 25 and loopback destinations like the connection test, without connecting", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const server = await scriptedServer();
		const production = { ...env, ENVIRONMENT: "production" };
		const app = createApp({ now: () => Date.now() });
		const run = async () => {
			const res = await app.request(
				`http://localhost/api/admin/domains/${t.domainId}/discover`,
				{ ...json("POST", { addresses: [`a@${t.domain}`] }), headers: { "Content-Type": "application/json", Cookie: admin } },
				production,
			);
			return { status: res.status, detail: ((await res.json()) as { detail: string }).detail };
		};
		await configure(t, { delivery_host: "mx.example.com", delivery_port: 25, delivery_tls: "off" });
		expect(await run()).toEqual({ status: 422, detail: expect.stringMatching(/port 25/) });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		expect(await run()).toEqual({ status: 422, detail: expect.stringMatching(/loopback/) });
		expect(await server.connections()).toBe(0);
		await server.stop();
	});
});
