// Outage notifications: admins hear at their alternate address when their server goes down
// and when it is back, at most once per state in half an hour, and it is in the log.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import PostalMime from "postal-mime";
import { describe, expect, inject, it, vi } from "vitest";
import worker from "../../src/index";
import type { NoticeJob, NotifyJob, OutboundJob } from "../../src/queue/messages";
import { configure, outbox, type Received, relayOf, scriptedServer, setClock } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage, type Tenant } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };

describe("outage notifications", () => {
	it("tell the admins at their alternate address, once per state, with the Emergency Inbox link", async () => {
		const t = await createTenant();
		await signInAdmin(t);
		const alternate = `it-${crypto.randomUUID().slice(0, 8)}@home.example`;
		await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE email = ?").bind(alternate, `admin@${t.domain}`).run();
		const server = await scriptedServer({ greeting: "421 4.3.2 down for maintenance" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });

		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(1), wait);
		const down = await PostalMime.parse((await outbox(alternate))[0]?.raw ?? "");
		expect(down.subject).toBe(`[Emergency Inbox] ${t.domain}: your mail server is unreachable`);
		expect(down.text).toContain("https://inbox.emergency-inbox.example/");
		expect(down.text).toContain("421");

		await server.setScript({});
		expect((await relayOf(t).retryNow()).kind).toBe("delivered");
		await vi.waitFor(async () => expect(await outbox(alternate)).toHaveLength(2), wait);
		expect((await PostalMime.parse((await outbox(alternate))[1]?.raw ?? "")).subject).toMatch(/your mail server is back$/);

		// It flaps: down again within half an hour is not announced twice.
		await server.setScript({ greeting: "421 4.3.2 down again" });
		await deliver("x@example.org", t.alice.email, simpleMessage("second"));
		await vi.waitFor(async () => expect((await relayOf(t).status()).health.state).toBe("down"), wait);
		await vi.waitFor(
			async () =>
				expect(
					await env.DB.prepare("SELECT count(*) AS n FROM events WHERE domain_id = ? AND kind = 'domain.down'").bind(t.domainId).first("n"),
				).toBe(2),
			wait,
		);
		const logged = await env.DB.prepare("SELECT kind FROM events WHERE domain_id = ? AND kind LIKE 'notify.%' ORDER BY id")
			.bind(t.domainId)
			.all();
		expect(logged.results.map((r) => r.kind)).toEqual(["notify.down", "notify.up"]);
		expect(await outbox(alternate)).toHaveLength(2);
	});

	it("tell users too when the company turns it on, in words for users, and only then", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const aliceHome = `alice-${crypto.randomUUID().slice(0, 8)}@home.example`;
		await env.DB.prepare("UPDATE users SET alternate_email = ? WHERE id = ?").bind(aliceHome, t.alice.id).run();
		const server = await scriptedServer({ greeting: "421 4.3.2 down for maintenance" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });

		// Off (the default): alice hears nothing about the first outage.
		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		await vi.waitFor(async () => expect(await notices(t.domainId)).toContain("domain.down"), wait);
		await server.setScript({});
		expect((await relayOf(t).retryNow()).kind).toBe("delivered");
		await vi.waitFor(async () => expect(await notices(t.domainId)).toContain("domain.up"), wait);
		expect(await outbox(aliceHome)).toHaveLength(0);

		const turnedOn = await api("/admin/company", admin, {
			method: "PATCH",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify({ notifyUsers: true }),
		});
		expect(((await turnedOn.json()) as { notifyUsers: boolean }).notifyUsers).toBe(true);
		// Half an hour later it goes down again: now alice is told, as a user.
		await setClock(t, Date.now() + 31 * 60_000);
		await server.setScript({ greeting: "421 4.3.2 down again" });
		await deliver("x@example.org", t.alice.email, simpleMessage("second"));
		await vi.waitFor(async () => expect(await outbox(aliceHome)).toHaveLength(1), wait);
		const mail = await PostalMime.parse((await outbox(aliceHome))[0]?.raw ?? "");
		expect(mail.text).toContain("Your new mail is held safely: read and answer it in your Emergency Inbox");
		expect(mail.text).not.toContain("/admin");
		const logged = await env.DB.prepare("SELECT detail FROM events WHERE domain_id = ? AND kind = 'notify.down'").bind(t.domainId).all();
		expect(logged.results.map((r) => JSON.parse(String(r.detail)).user)).toContain(t.alice.email);
	});

	it("company settings: admins read and change them in words; users are refused", async () => {
		const t = await createTenant();
		const admin = await signInAdmin(t);
		const patch = (cookie: string, body: unknown) =>
			api("/admin/company", cookie, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
		expect(await (await api("/admin/company", admin)).json()).toMatchObject({ id: t.customerId, notifyUsers: false });
		expect((await patch(admin, { notifyUsers: "yes" })).status).toBe(422);
		// The sign-in settings are checked the same way, and change nothing when refused.
		expect((await patch(admin, { signinCodes: "no" })).status).toBe(422);
		expect((await patch(admin, { requireAdminSecondFactor: 1 })).status).toBe(422);
		expect((await patch(await signIn(t.alice.email), { requireAdminSecondFactor: false })).status).toBe(403);
		expect(await (await api("/admin/company", admin)).json()).toMatchObject({ signinCodes: true, requireAdminSecondFactor: true });
		expect((await patch(admin, { name: "x" })).status).toBe(422);
		expect(await (await patch(admin, { name: "Renamed Co" })).json()).toMatchObject({ name: "Renamed Co" });
		expect((await patch(await signIn(t.alice.email), { notifyUsers: true })).status).toBe(403);
		const changed = await env.DB.prepare("SELECT detail FROM events WHERE customer_id = ? AND kind = 'company.updated'")
			.bind(t.customerId)
			.all();
		expect(changed.results.map((r) => JSON.parse(String(r.detail)))).toEqual([{ name: "Renamed Co" }]);
	});
});

describe("outage notices for a large company", () => {
	// Past ~500 people one invocation ran out of subrequests midway, and its retry stopped at
	// the notices it had already logged: the notify job now only queues one notice job each.
	const many = { timeout: 120_000, interval: 250 };

	it("reach each of 600 people exactly once when the server goes down", { timeout: 180_000 }, async () => {
		const t = await createTenant();
		const home = await seedPeople(t, 600);
		const server = await scriptedServer({ greeting: "421 4.3.2 down for maintenance" });
		await configure(t, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off", failures_to_down: 1 });

		await deliver("x@example.org", t.alice.email, simpleMessage("first"));
		await vi.waitFor(async () => expect(await countEvents(t, "notify.down")).toBe(600), many);
		const arrived = await sink(home);
		expect(arrived).toHaveLength(600);
		expect(new Set(arrived.map((m) => m.to.join())).size).toBe(600);
		const ids = new Set(arrived.map((m) => /^Message-ID: (.+)$/im.exec(m.raw)?.[1]));
		expect(ids.size).toBe(600);
		const admin = await PostalMime.parse(arrived.find((m) => m.to[0]?.startsWith("p0006."))?.raw ?? "");
		expect(admin.subject).toBe(`[Emergency Inbox] ${t.domain}: your mail server is unreachable`);
		expect(admin.text).toContain("421");
		const user = await PostalMime.parse(arrived.find((m) => m.to[0]?.startsWith("p0001."))?.raw ?? "");
		expect(user.text).toContain("Your new mail is held safely");
		expect(await countEvents(t, "notify.down_failed")).toBe(0);
		expect(await countEvents(t, "announce.down")).toBe(1);
	});

	it("a notify job that stops midway and is delivered again, twice, still reaches each of 600 once", { timeout: 180_000 }, async () => {
		const t = await createTenant();
		const home = await seedPeople(t, 600);
		const job: NotifyJob = { kind: "notify", domainId: t.domainId, state: "down", at: Date.now(), error: "421 4.3.2 down" };
		const queued: OutboundJob[] = [];

		// The first invocation dies at its fourth sendBatch: the queue retries the message.
		const first = await runOutbound([job], capturing(queued, 3));
		expect(first.retryMessages).toHaveLength(1);
		expect(queued).toHaveLength(300);
		// The retry finds the decision it made, not a reason to stop: it queues everyone.
		expect((await runOutbound([job], capturing(queued))).explicitAcks).toHaveLength(1);
		expect(queued).toHaveLength(900);
		// And once more, as if the ack were lost.
		await runOutbound([job], capturing(queued));
		expect(queued).toHaveLength(1500);
		expect(queued.every((q) => q.kind === "notice")).toBe(true);
		expect(new Set(queued.map((q) => (q as NoticeJob).userId)).size).toBe(600);
		expect(await countEvents(t, "announce.down")).toBe(1);

		// The notice jobs, in queue order, ten to a batch as ei-outbound delivers them.
		for (let i = 0; i < queued.length; i += 10) await runOutbound(queued.slice(i, i + 10), env);
		const arrived = await sink(home);
		expect(arrived).toHaveLength(600);
		expect(new Set(arrived.map((m) => m.to.join())).size).toBe(600);
		expect(await countEvents(t, "notify.down")).toBe(600);
	});

	it("a notice job delivered twice sends once, under a Message-ID derived from what it announces", async () => {
		const t = await createTenant();
		const home = await seedPeople(t, 1);
		const user = (await env.DB.prepare("SELECT id FROM users WHERE customer_id = ? AND alternate_email IS NOT NULL")
			.bind(t.customerId)
			.first<string>("id")) as string;
		const notice: NoticeJob = { kind: "notice", domainId: t.domainId, state: "up", at: Date.now(), error: null, userId: user };
		await runOutbound([notice], env);
		await runOutbound([notice], env);
		const arrived = await sink(home);
		expect(arrived).toHaveLength(1);
		expect((await PostalMime.parse(arrived[0]?.raw ?? "")).subject).toMatch(/your mail server is back$/);
		const logged = await env.DB.prepare("SELECT id FROM events WHERE domain_id = ? AND kind LIKE 'notify.%'")
			.bind(t.domainId)
			.all<{ id: string }>();
		expect(logged.results).toHaveLength(1);
		expect(arrived[0]?.raw).toMatch(new RegExp(`^Message-ID: <${logged.results[0]?.id.toLowerCase()}\\.notice@`, "im"));
		// The same person told about another transition is another notice.
		await runOutbound([{ ...notice, at: notice.at + 1 }], env);
		expect(await sink(home)).toHaveLength(2);
	});

	it("a notify job queues at most a thousand and leaves the rest to a continuation", async () => {
		const t = await createTenant();
		await seedPeople(t, 1050);
		const job: NotifyJob = { kind: "notify", domainId: t.domainId, state: "down", at: Date.now(), error: null };
		const queued: OutboundJob[] = [];
		await runOutbound([job], capturing(queued));
		const notices = queued.filter((q): q is NoticeJob => q.kind === "notice");
		const rest = queued.filter((q): q is NotifyJob => q.kind === "notify");
		expect(notices).toHaveLength(1000);
		expect(rest).toHaveLength(1);
		await runOutbound(rest, capturing(queued));
		const all = queued.filter((q): q is NoticeJob => q.kind === "notice");
		expect(all).toHaveLength(1050);
		expect(new Set(all.map((q) => q.userId)).size).toBe(1050);
		expect(queued.filter((q) => q.kind === "notify")).toHaveLength(1);
	});
});

/**
 * `n` people with alternate addresses at a domain of their own, seeded in one statement: every
 * sixth a customer admin, the rest users of a company that has users told. Returns that domain.
 */
async function seedPeople(t: Tenant, n: number): Promise<string> {
	const home = `home-${crypto.randomUUID().slice(0, 8)}.example`;
	await env.DB.batch([
		env.DB.prepare("UPDATE customers SET notify_users = 1 WHERE id = ?").bind(t.customerId),
		env.DB.prepare(
			`WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
			INSERT INTO users (id, customer_id, email, role, alternate_email)
			SELECT printf('%s-%04d', ?2, i), ?2, printf('p%04d@%s', i, ?3), CASE WHEN i % 6 = 0 THEN 'customer_admin' ELSE 'user' END,
				printf('p%04d.alt@%s', i, ?4)
			FROM seq`,
		).bind(n, t.customerId, t.domain, home),
	]);
	return home;
}

/** What the outbox received for addresses at `home`. */
async function sink(home: string): Promise<Received[]> {
	const all = (await (await fetch(`${inject("outboxControl")}/messages`)).json()) as Received[];
	return all.filter((m) => m.to.some((to) => to.endsWith(`@${home}`)));
}

async function countEvents(t: Tenant, kind: string): Promise<number> {
	return (
		(await env.DB.prepare("SELECT count(*) AS n FROM events WHERE domain_id = ? AND kind = ?").bind(t.domainId, kind).first<number>("n")) ??
		0
	);
}

/** An env whose ei-outbound producer keeps what is queued; after `failAfter` sendBatch calls it throws. */
function capturing(into: OutboundJob[], failAfter = Number.POSITIVE_INFINITY): Env {
	let calls = 0;
	const queue = {
		async send(body: OutboundJob) {
			into.push(body);
		},
		async sendBatch(messages: Iterable<MessageSendRequest<OutboundJob>>) {
			if (calls++ >= failAfter) throw new Error("subrequest limit reached");
			for (const m of messages) into.push(m.body);
		},
	};
	return { ...env, OUTBOUND_QUEUE: queue as unknown as Queue };
}

/** Delivers `jobs` to the ei-outbound consumer as one batch, as the queue would. */
async function runOutbound(jobs: OutboundJob[], withEnv: Env) {
	const batch = createMessageBatch(
		"ei-outbound",
		jobs.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await worker.queue(batch, withEnv);
	return getQueueResult(batch, ctx);
}

async function notices(domainId: string): Promise<string[]> {
	const rows = await env.DB.prepare("SELECT kind FROM events WHERE domain_id = ? ORDER BY id").bind(domainId).all<{ kind: string }>();
	return rows.results.map((r) => r.kind);
}
