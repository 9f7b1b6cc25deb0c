// Adding a domain, proving ownership with a TXT record read over DNS-over-HTTPS (the fake
// resolver of test/support/global-setup.ts), the setup checklist, removing a domain, and the
// point of it all: mail for a domain nobody has proved is deferred (451 4.7.1), never captured.
import { env } from "cloudflare:test";
import { describe, expect, inject, it, vi } from "vitest";
import { createApp } from "../../src/api/app";
import { buildChecklist, type ChecklistFacts } from "../../src/api/domain-checklist";
import type { ChecklistItem } from "../../src/api/domain-types";
import type { DomainRow } from "../../src/db/domains";
import worker from "../../src/index";
import { DnsError, resolve, txtText } from "../../src/lib/dns";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { decodePunycode, parseDomainName } from "../../src/mail/domain-name";
import { idOf, scriptedServer } from "./downstream";
import { api, createTenant, deliver, inbound, PASSWORD, signIn, signInAdmin, simpleMessage } from "./helpers";

interface Verification {
	verified: boolean;
	verifiedAt: string | null;
	recordName: string;
	recordValue: string | null;
}
interface SetupView {
	id: string;
	name: string;
	displayName: string;
	verification: Verification;
}
interface Problem {
	title: string;
	detail: string;
}

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});
const post = (): RequestInit => ({ method: "POST" });
const del = (): RequestInit => ({ method: "DELETE" });
const fresh = (prefix = "new") => `${prefix}${crypto.randomUUID().slice(0, 8)}.test`;
const wait = { timeout: 15_000, interval: 50 };

/** Publishes records in the fake resolver the worker asks (DOH_URL). */
async function publish(name: string, type: "TXT" | "MX" | "A", values: string[]) {
	const res = await fetch(`${inject("dohControl")}/records`, json("PUT", { name, type, values }));
	expect(res.status).toBe(200);
}

/** Makes the fake resolver fail for one name: SERVFAIL, an HTTP 500, or no answer at all. */
async function breakResolver(name: string, mode: "servfail" | "http-error" | "hang" | null) {
	const res = await fetch(`${inject("dohControl")}/failures`, json("PUT", { name, mode }));
	expect(res.status).toBe(200);
}

async function addDomain(admin: string, name: string): Promise<SetupView> {
	const res = await api("/admin/domains", admin, json("POST", { name }));
	expect(res.status, await res.clone().text()).toBe(201);
	return (await res.json()) as SetupView;
}

async function checklist(admin: string, id: string): Promise<Record<ChecklistItem["id"], ChecklistItem>> {
	const res = await api(`/admin/domains/${id}/checklist`, admin);
	expect(res.status, await res.clone().text()).toBe(200);
	const body = (await res.json()) as { items: ChecklistItem[] };
	expect(body.items.map((i) => i.id)).toEqual(["ownership", "mx", "routing", "destination", "connection"]);
	return Object.fromEntries(body.items.map((i) => [i.id, i])) as Record<ChecklistItem["id"], ChecklistItem>;
}

const events = async (domainId: string, kind: string) =>
	(await env.DB.prepare("SELECT actor_user_id, detail FROM events WHERE domain_id = ? AND kind = ?").bind(domainId, kind).all()).results;

describe("POST /api/admin/domains", () => {
	it("adds an unverified domain with its own TXT record to publish, listed and audited", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const name = fresh();
		const added = await addDomain(admin, ` ${name.toUpperCase()}. `);
		expect(added).toMatchObject({
			name,
			displayName: name,
			verification: { verified: false, verifiedAt: null, recordName: `_emergency-inbox.${name}` },
		});
		expect(added.verification.recordValue).toMatch(/^emergency-inbox-verification=[A-Za-z0-9_-]{24}$/);
		const list = (await (await api("/admin/domains", admin)).json()) as { domains: SetupView[] };
		expect(list.domains.find((d) => d.id === added.id)?.verification).toEqual(added.verification);
		// The tenant's own (verified) domain shows it too.
		expect(list.domains.find((d) => d.id === t.domainId)?.verification).toMatchObject({
			verified: true,
			recordName: `_emergency-inbox.${t.domain}`,
		});
		expect(await events(added.id, "domain.added")).toEqual([
			{ actor_user_id: expect.any(String), detail: JSON.stringify({ name, displayName: name }) },
		]);
		// Another domain gets another token.
		const second = await addDomain(admin, fresh());
		expect(second.verification.recordValue).not.toBe(added.verification.recordValue);
	});

	it("stores an international name as punycode and shows it in Unicode; the punycode spelling is the same domain", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const unicode = `bücher-${crypto.randomUUID().slice(0, 6)}.test`;
		const ascii = new URL(`http://${unicode}`).hostname;
		expect(ascii).toMatch(/^xn--/);
		const added = await addDomain(admin, unicode.replace("b", "B"));
		expect(added).toMatchObject({ name: ascii, displayName: unicode, verification: { recordName: `_emergency-inbox.${ascii}` } });
		const again = await api("/admin/domains", admin, json("POST", { name: ascii }));
		expect(again.status).toBe(409);
		expect(((await again.json()) as Problem).detail).toBe(`${unicode} is already one of your domains.`);
	});

	it("refuses what is not a domain name with a 422 naming the field", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		for (const name of ["", "nodot", "1.2.3.4", "a b.test", "-x.test", "x_y.test", "x@y.test", `${"a".repeat(64)}.test`, 42, null]) {
			const res = await api("/admin/domains", admin, json("POST", { name }));
			expect(res.status, String(name)).toBe(422);
			expect(((await res.json()) as Problem).detail).toMatch(/^name must be a domain name such as example\.com/);
		}
		expect((await api("/admin/domains", admin, json("POST", "example.com"))).status).toBe(400);
		const count = await env.DB.prepare("SELECT count(*) AS n FROM domains WHERE customer_id = ?").bind(t.customerId).first("n");
		expect(count).toBe(1);
	});

	it("answers 409 for a domain served here already, another company's included, and changes nothing", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		const mine = await api("/admin/domains", admin, json("POST", { name: t.domain }));
		expect(mine.status).toBe(409);
		expect(((await mine.json()) as Problem).detail).toBe(`${t.domain} is already one of your domains.`);
		const theirs = await api("/admin/domains", admin, json("POST", { name: other.domain }));
		expect(theirs.status).toBe(409);
		expect(await theirs.json()).toMatchObject({ title: "Domain already served", detail: expect.stringContaining("another company") });
		expect(await env.DB.prepare("SELECT customer_id FROM domains WHERE name = ?").bind(other.domain).first("customer_id")).toBe(
			other.customerId,
		);
	});

	it("lets an unverified claim lapse after 7 days when another company adds the name; a verified or recent one holds", async () => {
		const squatter = await createTenant();
		const owner = await createTenant();
		const name = fresh();
		const squatterAdmin = await signInAdmin(squatter);
		const claim = await api("/admin/domains", squatterAdmin, json("POST", { name }));
		expect(claim.status).toBe(201);
		const claimId = ((await claim.json()) as SetupView).id;
		const ownerAdmin = await signInAdmin(owner);
		// A recent claim holds, and the answer says when it lapses.
		const early = await api("/admin/domains", ownerAdmin, json("POST", { name }));
		expect(early.status).toBe(409);
		expect(((await early.json()) as Problem).detail).toContain("An unverified claim lapses 7 days after it was made");
		// Eight days on, still unverified: the real owner adds it, and the squatter's log says why it went.
		await env.DB.prepare("UPDATE domains SET created_at = created_at - ? WHERE id = ?")
			.bind(8 * 86_400_000, claimId)
			.run();
		const taken = await api("/admin/domains", ownerAdmin, json("POST", { name }));
		expect(taken.status).toBe(201);
		expect(await env.DB.prepare("SELECT customer_id FROM domains WHERE name = ?").bind(name).first("customer_id")).toBe(owner.customerId);
		const lapsed = await env.DB.prepare("SELECT kind FROM events WHERE customer_id = ? AND domain_id = ?")
			.bind(squatter.customerId, claimId)
			.all();
		expect(lapsed.results.map((r) => r.kind)).toContain("domain.claim_lapsed");
		// A verified domain never lapses, however old.
		await env.DB.prepare("UPDATE domains SET created_at = created_at - ?, verified_at = 1 WHERE name = ?")
			.bind(30 * 86_400_000, name)
			.run();
		expect((await api("/admin/domains", squatterAdmin, json("POST", { name }))).status).toBe(409);
	});

	it("is refused to users (403), anonymous callers (401) and other sites (403)", async () => {
		const t = await createTenant();
		const name = fresh();
		expect((await api("/admin/domains", await signIn(t.alice.email), json("POST", { name }))).status).toBe(403);
		expect((await api("/admin/domains", "", json("POST", { name }))).status).toBe(401);
		const crossSite = await api("/admin/domains", await signInAdmin(t), {
			...json("POST", { name }),
			headers: { "Content-Type": "application/json", "Sec-Fetch-Site": "cross-site" },
		});
		expect(crossSite.status).toBe(403);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM domains WHERE name = ?").bind(name).first("n")).toBe(0);
	});
});

describe("POST /api/admin/domains/:id/verify", () => {
	it("says exactly which record it expected and what DNS has: another value, no TXT, no such name", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		const { recordName, recordValue } = d.verification;
		const verify = async () => {
			const res = await api(`/admin/domains/${d.id}/verify`, admin, post());
			expect(res.status).toBe(409);
			const problem = (await res.json()) as Problem;
			expect(problem.title).toBe("Domain not verified");
			expect(problem.detail).toContain(`Expected a TXT record ${recordName} with the value "${recordValue}"`);
			return problem.detail;
		};
		expect(await verify()).toContain(`but ${recordName} does not exist in DNS (NXDOMAIN)`);
		await publish(recordName, "A", ["192.0.2.1"]);
		expect(await verify()).toContain(`but ${recordName} exists but has no TXT records`);
		await publish(recordName, "TXT", ["emergency-inbox-verification=someone-elses", "v=spf1 -all"]);
		expect(await verify()).toContain(`but ${recordName} has "emergency-inbox-verification=someone-elses", "v=spf1 -all"`);
		expect(await events(d.id, "domain.verified")).toEqual([]);
		const list = (await (await api("/admin/domains", admin)).json()) as { domains: SetupView[] };
		expect(list.domains.find((x) => x.id === d.id)?.verification.verified).toBe(false);
	});

	it("answers 502 when the resolver fails, and changes nothing", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		await publish(d.verification.recordName, "TXT", [d.verification.recordValue as string]);
		for (const [mode, said] of [
			["servfail", "SERVFAIL"],
			["http-error", "HTTP 500"],
		] as const) {
			await breakResolver(d.verification.recordName, mode);
			const res = await api(`/admin/domains/${d.id}/verify`, admin, post());
			expect(res.status).toBe(502);
			const problem = (await res.json()) as Problem;
			expect(problem.title).toBe("DNS lookup failed");
			expect(problem.detail).toContain(`We could not look up the TXT record ${d.verification.recordName}`);
			expect(problem.detail).toContain(said);
			expect(problem.detail).toContain("Nothing was changed");
		}
		expect(await env.DB.prepare("SELECT verified_at FROM domains WHERE id = ?").bind(d.id).first("verified_at")).toBeNull();
		await breakResolver(d.verification.recordName, null);
	});

	it("answers 503 when the resolver cannot be reached", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		// The same app with DOH_URL pointing where nothing listens.
		const app = createApp({ now: () => Date.now() });
		const res = await app.request(
			`http://localhost/api/admin/domains/${d.id}/verify`,
			{ method: "POST", headers: { Cookie: admin } },
			{ ...env, DOH_URL: "http://127.0.0.1:9/dns-query" },
		);
		expect(res.status).toBe(503);
		expect(((await res.json()) as Problem).detail).toMatch(/could not be reached/);
	});

	it("verifies with the right record, once; asking again changes nothing and does not ask DNS", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		// Among other TXT records, as real zones have them.
		await publish(d.verification.recordName, "TXT", ["v=spf1 -all", d.verification.recordValue as string]);
		const res = await api(`/admin/domains/${d.id}/verify`, admin, post());
		expect(res.status).toBe(200);
		const verified = (await res.json()) as SetupView;
		expect(verified.verification).toMatchObject({ verified: true, verifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
		expect(await events(d.id, "domain.verified")).toHaveLength(1);
		// A resolver that never answers would make a lookup fail: there is none.
		await breakResolver(d.verification.recordName, "hang");
		const again = await api(`/admin/domains/${d.id}/verify`, admin, post());
		expect(again.status).toBe(200);
		expect(((await again.json()) as SetupView).verification).toEqual(verified.verification);
		expect(await events(d.id, "domain.verified")).toHaveLength(1);
		await breakResolver(d.verification.recordName, null);
	});

	it("answers 404 to another company's admin, 403 to users, 401 to anonymous callers", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const d = await addDomain(await signInAdmin(t), fresh());
		await publish(d.verification.recordName, "TXT", [d.verification.recordValue as string]);
		const otherAdmin = await signInAdmin(other);
		expect((await api(`/admin/domains/${d.id}/verify`, otherAdmin, post())).status).toBe(404);
		expect((await api(`/admin/domains/${d.id}/verify`, await signIn(t.alice.email), post())).status).toBe(403);
		expect((await api(`/admin/domains/${d.id}/verify`, "", post())).status).toBe(401);
		expect((await api(`/admin/domains/${d.id}/checklist`, otherAdmin)).status).toBe(404);
		expect(await env.DB.prepare("SELECT verified_at FROM domains WHERE id = ?").bind(d.id).first("verified_at")).toBeNull();
	});
});

describe("GET /api/admin/domains/:id/checklist", () => {
	it("walks a new domain from nothing done to everything done, showing what DNS and the server said", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		const name = d.name;

		let items = await checklist(admin, d.id);
		expect(items.ownership).toMatchObject({
			state: "todo",
			detail: expect.stringContaining(`${d.verification.recordName} with the value ${d.verification.recordValue}`),
		});
		expect(items.ownership.detail).toContain("does not exist in DNS (NXDOMAIN)");
		expect(items.mx).toMatchObject({
			state: "todo",
			detail: `No MX records yet: ${name} does not exist in DNS (NXDOMAIN). Mail for the domain cannot reach Email Routing.`,
		});
		expect(items.routing).toMatchObject({ state: "unknown", detail: expect.stringContaining("cannot be checked from DNS") });
		expect(items.routing.steps?.join(" ")).toContain("Catch-all");
		expect(items.destination).toMatchObject({ state: "todo", detail: expect.stringContaining("No delivery destination") });
		expect(items.destination.steps?.join(" ")).toMatch(/port 25.*2525.*master\.cf.*Exchange/s);
		expect(items.connection).toMatchObject({ state: "todo", detail: expect.stringContaining("Set the delivery destination first") });

		// MX: Cloudflare's and another server, then Cloudflare's only.
		await publish(name, "MX", ["20 mx.old-provider.example.", "10 route1.mx.cloudflare.net."]);
		items = await checklist(admin, d.id);
		expect(items.mx.state).toBe("todo");
		expect(items.mx.detail).toContain("route1.mx.cloudflare.net (10), mx.old-provider.example (20)");
		expect(items.mx.detail).toContain("mail to mx.old-provider.example never reaches Emergency Inbox");
		await publish(name, "MX", ["10 route1.mx.cloudflare.net.", "20 route2.mx.cloudflare.net."]);
		await publish(d.verification.recordName, "TXT", [d.verification.recordValue as string]);
		items = await checklist(admin, d.id);
		expect(items.mx).toMatchObject({
			state: "done",
			detail: "MX points to Cloudflare Email Routing: route1.mx.cloudflare.net (10), route2.mx.cloudflare.net (20).",
		});
		expect(items.ownership).toMatchObject({ state: "todo", detail: expect.stringContaining("The record is published") });

		expect((await api(`/admin/domains/${d.id}/verify`, admin, post())).status).toBe(200);
		const server = await scriptedServer();
		expect(
			(
				await api(
					`/admin/domains/${d.id}`,
					admin,
					json("PATCH", { delivery: { host: "127.0.0.1", port: server.port, tls: "off" }, policy: { unknownRecipients: "accept" } }),
				)
			).status,
		).toBe(200);
		items = await checklist(admin, d.id);
		expect(items.ownership).toMatchObject({ state: "done", detail: expect.stringMatching(/^Verified on \d{4}-\d\d-\d\d \d\d:\d\d UTC/) });
		expect(items.destination).toMatchObject({ state: "done", detail: `Mail goes to 127.0.0.1:${server.port} (TLS off).` });
		expect(items.connection).toMatchObject({
			state: "todo",
			detail: "Not tested yet: press “Test connection” under Delivery destination.",
		});

		expect((await api(`/admin/domains/${d.id}/test`, admin, post())).status).toBe(200);
		items = await checklist(admin, d.id);
		expect(items.connection).toMatchObject({
			state: "done",
			detail: expect.stringMatching(/^Connection test passed on .* UTC: 250 mx\.scripted\.test /),
		});

		// The first message through Email Routing proves the catch-all rule.
		const got = await deliver("sender@example.org", `anyone@${name}`, simpleMessage("first"));
		expect(got.rejected).toBeNull();
		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(1), wait);
		items = await checklist(admin, d.id);
		expect(items.routing).toMatchObject({ state: "done", detail: expect.stringContaining(`Mail for ${name} reached us on`) });
		expect(Object.values(items).map((i) => i.state)).toEqual(["done", "done", "done", "done", "done"]);
		await server.stop();

		// A failed test of the same destination is what the item shows next.
		expect(((await (await api(`/admin/domains/${d.id}/test`, admin, post())).json()) as { ok: boolean }).ok).toBe(false);
		items = await checklist(admin, d.id);
		expect(items.connection).toMatchObject({ state: "todo", detail: expect.stringContaining("failed") });
	});

	it("says it could not check when the resolver fails, rather than calling the record absent", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		await breakResolver(d.name, "servfail");
		await breakResolver(d.verification.recordName, "http-error");
		const items = await checklist(admin, d.id);
		expect(items.mx).toMatchObject({ state: "unknown", detail: expect.stringMatching(/^Could not check: .*SERVFAIL/) });
		expect(items.ownership).toMatchObject({ state: "unknown", detail: expect.stringMatching(/^Could not check: .*HTTP 500/) });
		await breakResolver(d.name, null);
		await breakResolver(d.verification.recordName, null);
	});
});

describe("DELETE /api/admin/domains/:id", () => {
	it("refuses while mail is undelivered, then while mail is on record, then while addresses remain", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const refusal = async () => {
			const res = await api(`/admin/domains/${t.domainId}`, admin, del());
			expect(res.status).toBe(409);
			return (await res.json()) as Problem;
		};
		// No destination: the message is held here.
		await deliver("sender@example.org", t.alice.email, simpleMessage("held"));
		expect(await refusal()).toMatchObject({ title: "Domain has undelivered mail", detail: expect.stringContaining("1 message for") });
		const id = await idOf(t.alice.email, "held");
		expect((await api(`/admin/messages/${id}/bounce`, admin, post())).status).toBe(200);
		expect(await refusal()).toMatchObject({
			title: "Domain has mail on record",
			detail: expect.stringContaining("1 message is on record"),
		});

		const empty = await createTenant();
		const emptyAdmin = await signInAdmin(empty);
		const res = await api(`/admin/domains/${empty.domainId}`, emptyAdmin, del());
		expect(res.status).toBe(409);
		expect(await res.json()).toMatchObject({ title: "Domain still has addresses", detail: expect.stringContaining(empty.alice.email) });
		expect(await env.DB.prepare("SELECT count(*) AS n FROM domains WHERE id IN (?, ?)").bind(t.domainId, empty.domainId).first("n")).toBe(
			2,
		);
	});

	it("removes a domain that has carried no mail: gone from the list, audited, and its mail is no longer ours", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		expect((await api(`/admin/domains/${d.id}`, await signInAdmin(await createTenant()), del())).status).toBe(404);
		expect((await api(`/admin/domains/${d.id}`, await signIn(t.alice.email), del())).status).toBe(403);
		expect((await api(`/admin/domains/${d.id}`, "", del())).status).toBe(401);
		const res = await api(`/admin/domains/${d.id}`, admin, del());
		expect(res.status).toBe(204);
		const list = (await (await api("/admin/domains", admin)).json()) as { domains: SetupView[] };
		expect(list.domains.map((x) => x.id)).toEqual([t.domainId]);
		expect(await events(d.id, "domain.removed")).toEqual([
			{ actor_user_id: expect.any(String), detail: JSON.stringify({ name: d.name, wasVerified: false }) },
		]);
		expect((await api(`/admin/domains/${d.id}`, admin, del())).status).toBe(404);
		expect((await deliver("sender@example.org", `anyone@${d.name}`, simpleMessage("late"))).rejected).toBe(
			`550 5.1.2 Domain ${d.name} is not served here`,
		);
	});
});

describe("mail for a domain nobody has verified", () => {
	it("is deferred with 451 4.7.1 and nothing is stored; once verified the same mail is accepted", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const d = await addDomain(admin, fresh());
		await api(`/admin/domains/${d.id}`, admin, json("PATCH", { policy: { unknownRecipients: "accept" } }));
		const reply = `451 4.7.1 Domain ${d.name} is not yet verified here; try again later`;
		const raw = simpleMessage("before verification");
		const { message, state } = inbound("sender@example.org", `anyone@${d.name}`, raw);
		// A throw is Email Routing's temporary failure; locally the reason travels beside it.
		await expect(worker.email(message, env)).rejects.toThrow(reply);
		expect(state.rejected).toBe(reply);
		expect(await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE domain_id = ?").bind(d.id).first("n")).toBe(0);
		expect(await env.DOMAIN.get(env.DOMAIN.idFromName(d.name)).log(null, 10)).toEqual([]);

		await publish(d.verification.recordName, "TXT", [d.verification.recordValue as string]);
		expect((await api(`/admin/domains/${d.id}/verify`, admin, post())).status).toBe(200);
		// The sender's retry: the same bytes, now stored.
		expect((await deliver("sender@example.org", `anyone@${d.name}`, raw)).rejected).toBeNull();
		expect(await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE domain_id = ?").bind(d.id).first("n")).toBe(1);
	});

	it("is not read by the company that added it: a partner's new customer starts unverified, and sending as it is refused", async () => {
		const partnerId = newId();
		const partnerEmail = `p-${crypto.randomUUID().slice(0, 8)}@partner.test`;
		await env.DB.prepare("INSERT INTO partners (id, name) VALUES (?, 'Partner')").bind(partnerId).run();
		await env.DB.prepare("INSERT INTO users (id, partner_id, email, role, password_hash) VALUES (?, ?, ?, 'partner_admin', ?)")
			.bind(newId(), partnerId, partnerEmail, await hashPassword(PASSWORD, paramsFor(env)))
			.run();
		const partner = await signIn(partnerEmail);
		const domain = fresh("initech");
		const created = await api(
			"/partner/customers",
			partner,
			json("POST", { name: "Initech", domain, adminEmail: `peter@${domain}`, adminAlternateEmail: "peter@home.example" }),
		);
		expect(created.status).toBe(201);
		const { id: customerId, admin } = (await created.json()) as { id: string; admin: { email: string; oneTimePassword: string } };
		const list = (await (await api(`/admin/domains?customer=${customerId}`, partner)).json()) as { domains: SetupView[] };
		expect(list.domains[0]?.verification).toMatchObject({
			verified: false,
			recordValue: expect.stringMatching(/^emergency-inbox-verification=/),
		});
		const { message } = inbound("sender@example.org", admin.email, simpleMessage("for peter"));
		await expect(worker.email(message, env)).rejects.toThrow(`451 4.7.1 Domain ${domain} is not yet verified here`);

		const peter = await signIn(admin.email, admin.oneTimePassword);
		const send = await api(
			"/mailbox/send",
			peter,
			json("POST", { to: ["x@example.org"], cc: [], bcc: [], subject: "s", text: "t", attachments: [] }),
		);
		expect(send.status).toBe(409);
		expect(((await send.json()) as Problem).detail).toContain(
			`Mail from ${domain} can be sent once an administrator has verified the domain`,
		);
	});
});

describe("the resolver (src/lib/dns.ts)", () => {
	it("reads TXT character-strings and escapes as resolvers print them", () => {
		expect(txtText('"v=spf1 " "-all"')).toBe("v=spf1 -all");
		expect(txtText('"a \\"quoted\\" \\\\ value"')).toBe('a "quoted" \\ value');
		expect(txtText('"caf\\195\\169"')).toBe("caf\u00c3\u00a9");
		expect(txtText("unquoted text")).toBe("unquoted text");
	});

	it("turns an unreachable or silent resolver into a DnsError that says so", async () => {
		const name = fresh("hang");
		await breakResolver(name, "hang");
		const url = `${inject("dohControl")}/dns-query`;
		const timeout = await resolve(name, "TXT", { url, timeoutMs: 200 }).catch((e: unknown) => e);
		expect(timeout).toBeInstanceOf(DnsError);
		expect(timeout).toMatchObject({ kind: "timeout", message: expect.stringContaining("did not answer within 0.2 s") });
		const refused = await resolve(name, "TXT", { url: "http://127.0.0.1:9/dns-query" }).catch((e: unknown) => e);
		expect(refused).toMatchObject({ kind: "unreachable", message: expect.stringContaining("could not be reached") });
		await breakResolver(name, null);
		// Names are asked in lower case without the root dot, as published.
		await publish(name, "TXT", ["hello"]);
		expect(await resolve(`${name.toUpperCase()}.`, "TXT", { url })).toEqual({ name, type: "TXT", status: "found", records: ["hello"] });
	});
});

describe("domain names (src/mail/domain-name.ts)", () => {
	it("converts Unicode to punycode and back, and refuses what is not a mail domain", () => {
		expect(parseDomainName("Bücher.Example.")).toEqual({ ascii: "xn--bcher-kva.example", display: "bücher.example" });
		expect(parseDomainName("xn--wgv71a119e.test")).toEqual({ ascii: "xn--wgv71a119e.test", display: "日本語.test" });
		expect(decodePunycode("mnchen-3ya")).toBe("münchen");
		expect(decodePunycode("!!")).toBeNull();
		for (const bad of ["localhost", "10.0.0.1", "[::1]", "a..test", "a.-b.test", "a b.test"]) expect(parseDomainName(bad), bad).toBeNull();
	});
});

describe("the checklist's wording (src/api/domain-checklist.ts)", () => {
	const base = (over: Partial<DomainRow>): ChecklistFacts => ({
		domain: {
			id: "d",
			customerId: "c",
			name: "example.com",
			displayName: "example.com",
			verifiedAt: 1_700_000_000_000,
			verificationToken: "tok",
			deliveryHost: "mail.example.com",
			deliveryPort: 25,
			deliveryTls: "required",
			held: false,
			...over,
		} as DomainRow,
		environment: "production",
		mx: { lookup: { name: "example.com", type: "MX", status: "found", records: ["10 mx.example.com."] } },
		health: { state: "up", lastError: null },
		lastReceivedAt: null,
		lastTest: null,
		lastDeliveredAt: null,
	});

	it("refuses port 25 in production with the port help, and names foreign MX hosts", () => {
		const items = buildChecklist(base({}));
		const destination = items.find((i) => i.id === "destination");
		expect(destination).toMatchObject({
			state: "todo",
			detail: expect.stringContaining("Cloudflare blocks outbound connections to port 25"),
		});
		expect(destination?.steps?.[1]).toContain("2525 inet n - y - - smtpd");
		expect(items.find((i) => i.id === "mx")).toMatchObject({
			state: "todo",
			detail: "MX points elsewhere: mx.example.com (10). Mail goes straight to those servers, not through us.",
		});
		const held = buildChecklist(base({ deliveryPort: 2525, held: true })).find((i) => i.id === "connection");
		expect(held).toMatchObject({ state: "todo", detail: expect.stringContaining("on hold") });
		const down = buildChecklist({ ...base({ deliveryPort: 2525 }), health: { state: "down", lastError: "cannot connect" } });
		expect(down.find((i) => i.id === "connection")?.detail).toContain("unreachable: cannot connect");
	});
});
