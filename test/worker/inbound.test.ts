import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createTenant, deliver, failingBatches, signIn, simpleMessage } from "./helpers";

async function inboxOf(cookie: string) {
	const res = await api("/mailbox/messages", cookie);
	expect(res.status).toBe(200);
	return (await res.json()) as { messages: { id: string; subject: string; status: string }[] };
}

describe("email handler verdicts", () => {
	it("rejects a domain we do not serve with 550 5.1.2", async () => {
		const verdict = await deliver("x@example.org", "someone@not-served.test", simpleMessage("hi"));
		expect(verdict.rejected).toMatch(/^550 5\.1\.2 /);
	});

	it("rejects an unknown user with 550 5.1.1 under the default policy", async () => {
		const t = await createTenant();
		const verdict = await deliver("x@example.org", `nobody@${t.domain}`, simpleMessage("hi"));
		expect(verdict.rejected).toMatch(/^550 5\.1\.1 <nobody@/);
	});

	it("accepts an unknown user when the domain accepts all recipients, for relay only", async () => {
		const t = await createTenant({ unknownRecipients: "accept" });
		const verdict = await deliver("x@example.org", `nobody@${t.domain}`, simpleMessage("catch-all"));
		expect(verdict.rejected).toBeNull();
		const row = await env.DB.prepare("SELECT user_id, status FROM messages WHERE envelope_to = ?").bind(`nobody@${t.domain}`).first();
		expect(row).toEqual({ user_id: null, status: "spooled" });
	});

	it("rejects mail over the domain's size limit with 552 5.3.4 and stores nothing", async () => {
		const t = await createTenant({ maxMessageBytes: 1024 });
		const verdict = await deliver("x@example.org", t.alice.email, simpleMessage("big", "x".repeat(2000)));
		expect(verdict.rejected).toMatch(/^552 5\.3\.4 /);
		const count = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE domain_id = ?").bind(t.domainId).first("n");
		expect(count).toBe(0);
	});

	it("rejects a syntactically broken recipient with 501 5.1.3", async () => {
		const verdict = await deliver("x@example.org", "no-at-sign", simpleMessage("hi"));
		expect(verdict.rejected).toMatch(/^501 5\.1\.3 /);
	});
});

describe("addresses", () => {
	it("treats recipient case as insignificant and plus-addressing as the base mailbox", async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		expect((await deliver("x@example.org", `ALICE@${t.domain.toUpperCase()}`, simpleMessage("upper"))).rejected).toBeNull();
		expect((await deliver("x@example.org", `alice+news@${t.domain}`, simpleMessage("tagged"))).rejected).toBeNull();
		const subjects = (await inboxOf(cookie)).messages.map((m) => m.subject);
		expect(subjects).toEqual(["tagged", "upper"]);
	});

	it("serves an IDN domain whether the envelope carries Unicode or punycode", async () => {
		const tag = crypto.randomUUID().slice(0, 8);
		const t = await createTenant({ domain: `xn--bcher-kva.t${tag}.test` });
		const unicode = `bücher.t${tag}.test`;
		// The URL parser maps the Unicode label back to the punycode one we store.
		expect(new URL(`http://${unicode}`).hostname).toBe(t.domain);
		const cookie = await signIn(t.alice.email);
		expect((await deliver("x@example.org", `alice@${unicode}`, simpleMessage("unicode"))).rejected).toBeNull();
		expect((await deliver("x@example.org", `alice@${t.domain}`, simpleMessage("ascii"))).rejected).toBeNull();
		expect((await inboxOf(cookie)).messages.map((m) => m.subject)).toEqual(["ascii", "unicode"]);
	});
});

describe("durability", () => {
	it("stores a redelivered message once", async () => {
		const t = await createTenant();
		const raw = simpleMessage("twice");
		expect((await deliver("x@example.org", t.alice.email, raw)).rejected).toBeNull();
		expect((await deliver("x@example.org", t.alice.email, raw)).rejected).toBeNull();
		const cookie = await signIn(t.alice.email);
		expect((await inboxOf(cookie)).messages).toHaveLength(1);
		const objects = await env.MAIL.list({ prefix: `c/${t.customerId}/` });
		expect(objects.objects).toHaveLength(1);
	});

	it("stores the same bytes for two recipients as two messages, one per mailbox", async () => {
		const t = await createTenant();
		const raw = simpleMessage("to both");
		await deliver("x@example.org", t.alice.email, raw);
		await deliver("x@example.org", t.bob.email, raw);
		expect((await inboxOf(await signIn(t.alice.email))).messages).toHaveLength(1);
		expect((await inboxOf(await signIn(t.bob.email))).messages).toHaveLength(1);
	});

	it("throws when R2 cannot store the message, and leaves nothing visible", async () => {
		const t = await createTenant();
		const failingBucket = Object.assign(Object.create(null), {
			put: async () => {
				throw new Error("R2 unavailable");
			},
		}) as R2Bucket;
		await expect(deliver("x@example.org", t.alice.email, simpleMessage("lost?"), { ...env, MAIL: failingBucket })).rejects.toThrow(
			"R2 unavailable",
		);
		expect((await inboxOf(await signIn(t.alice.email))).messages).toHaveLength(0);
	});

	it("throws when D1 cannot record the message, removes the stored body, and the retry succeeds", async () => {
		const t = await createTenant();
		const failingDb = failingBatches("D1 unavailable");
		const raw = simpleMessage("retry me");
		await expect(deliver("x@example.org", t.alice.email, raw, { ...env, DB: failingDb })).rejects.toThrow("D1 unavailable");
		expect((await env.MAIL.list({ prefix: `c/${t.customerId}/` })).objects).toHaveLength(0);
		const cookie = await signIn(t.alice.email);
		expect((await inboxOf(cookie)).messages).toHaveLength(0);

		// The sender retries, as it must after a temporary failure.
		expect((await deliver("x@example.org", t.alice.email, raw)).rejected).toBeNull();
		expect((await inboxOf(cookie)).messages.map((m) => m.subject)).toEqual(["retry me"]);
	});

	it("hands each stored message to its domain's Durable Object, which holds it while there is no destination", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("one"));
		await deliver("x@example.org", t.bob.email, simpleMessage("two"));
		const stub = env.DOMAIN.get(env.DOMAIN.idFromName(t.domain));
		const ids = await runInDurableObject(stub, (_o, state) =>
			state.storage.sql
				.exec<{ message_id: string }>("SELECT message_id FROM spool ORDER BY received_at")
				.toArray()
				.map((r) => r.message_id),
		);
		const rows = await env.DB.prepare("SELECT id, status, held_at FROM messages WHERE domain_id = ? ORDER BY id").bind(t.domainId).all();
		expect(ids).toEqual(rows.results.map((r) => r.id));
		expect(rows.results.map((r) => r.status)).toEqual(["spooled", "spooled"]);
		expect(rows.results.every((r) => typeof r.held_at === "number")).toBe(true);
		expect((await stub.status()).spooled).toBe(2);
	});
});
