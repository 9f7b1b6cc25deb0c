// The Emergency Inbox as a webmail: folders, bulk actions, search, the banner, contacts,
// cookie-less links, and writing mail (to a colleague, outside, to nobody).
import { env, SELF } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { ComposeResult, Contact, MailboxStatus, MessageDetail, MessagePage, Upload } from "../../src/api/types";
import { configure, idOf, outbox, scriptedServer } from "./downstream";
import { api, createTenant, deliver, signIn, signInAdmin, simpleMessage } from "./helpers";

const wait = { timeout: 15_000, interval: 50 };
const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});
const page = async (cookie: string, query = "") => (await (await api(`/mailbox/messages${query}`, cookie)).json()) as MessagePage;

describe("folders and bulk actions", () => {
	it("marks read and unread, trashes and restores, only the user's own messages", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("one"));
		await deliver("x@example.org", t.alice.email, simpleMessage("two"));
		await deliver("x@example.org", t.bob.email, simpleMessage("bob's"));
		const alice = await signIn(t.alice.email);
		const ids = (await page(alice)).messages.map((m) => m.id);
		const bobsId = await idOf(t.bob.email, "bob's");

		const seen = await api("/mailbox/messages", alice, json("PATCH", { ids: [...ids, bobsId], seen: true }));
		expect(await seen.json()).toEqual({ updated: 2 });
		expect((await page(alice)).messages.every((m) => m.seen)).toBe(true);
		expect((await page(alice, "?unread=1")).messages).toEqual([]);

		expect(await (await api("/mailbox/messages", alice, json("PATCH", { ids: [ids[0]], folder: "trash" }))).json()).toEqual({ updated: 1 });
		expect((await page(alice)).messages.map((m) => m.subject)).toEqual(["one"]);
		expect((await page(alice, "?folder=trash")).messages.map((m) => m.subject)).toEqual(["two"]);
		await api("/mailbox/messages", alice, json("PATCH", { ids: [ids[0]], folder: "restore" }));
		expect((await page(alice)).messages.map((m) => m.subject)).toEqual(["two", "one"]);
		// Bob's message was untouched by alice's requests.
		expect(await env.DB.prepare("SELECT seen, folder FROM messages WHERE id = ?").bind(bobsId).first()).toEqual({
			seen: 0,
			folder: "inbox",
		});
	});

	it("refuses malformed bulk requests with 400", async () => {
		const t = await createTenant();
		const alice = await signIn(t.alice.email);
		for (const body of [
			{},
			{ ids: [] },
			{ ids: ["nope"], seen: true },
			{ ids: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"] },
			{ ids: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"], folder: "spam" },
		]) {
			expect((await api("/mailbox/messages", alice, json("PATCH", body))).status, JSON.stringify(body)).toBe(400);
		}
	});
});

describe("search", () => {
	it("finds by body, subject and sender words, newest first, and never another user's mail", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("Quarterly numbers", "The revenue grew in Zürich.\r\n"));
		await deliver("x@example.org", t.alice.email, simpleMessage("Lunch", "Pizza at noon.\r\n"));
		await deliver("x@example.org", t.bob.email, simpleMessage("Bob's revenue", "revenue revenue\r\n"));
		const alice = await signIn(t.alice.email);
		// Held mail is in its mailbox's index by the time it is acknowledged.
		expect((await page(alice, "?q=lunch")).messages).toHaveLength(1);
		expect((await page(alice, "?q=revenue")).messages.map((m) => m.subject)).toEqual(["Quarterly numbers"]);
		expect((await page(alice, "?q=zurich")).messages.map((m) => m.subject)).toEqual(["Quarterly numbers"]);
		expect((await page(alice, "?q=lunch")).messages.map((m) => m.subject)).toEqual(["Lunch"]);
		expect((await page(alice, "?q=sender%40example")).messages).toHaveLength(2);
		expect((await page(alice, "?q=nothing-like-this")).messages).toEqual([]);
		// A search looks in every folder unless told one.
		await api("/mailbox/messages", alice, json("PATCH", { ids: [await idOf(t.alice.email, "Lunch")], folder: "trash" }));
		expect((await page(alice, "?q=pizza")).messages.map((m) => [m.subject, m.folder])).toEqual([["Lunch", "trash"]]);
		expect((await page(alice, "?q=pizza&folder=inbox")).messages).toEqual([]);
		// Query syntax is data, not FTS5 operators.
		for (const q of ['"', "NEAR(a b)", "owner:x", "*", "a OR b", ")("]) {
			const res = await api(`/mailbox/messages?q=${encodeURIComponent(q)}`, alice);
			expect(res.status, q).toBe(200);
		}
	});

	it("pages search results by cursor and combines them with filters", async () => {
		const t = await createTenant();
		for (let i = 0; i < 5; i++) await deliver("x@example.org", t.alice.email, simpleMessage(`report ${i}`, "weekly report\r\n"));
		const alice = await signIn(t.alice.email);
		const first = await page(alice, "?q=report&limit=3");
		expect(first.messages.map((m) => m.subject)).toEqual(["report 4", "report 3", "report 2"]);
		const second = await page(alice, `?q=report&limit=3&cursor=${first.nextCursor}`);
		expect(second.messages.map((m) => m.subject)).toEqual(["report 1", "report 0"]);
		expect(second.nextCursor).toBeNull();
		expect((await page(alice, "?q=report&attachments=1")).messages).toEqual([]);
		expect((await page(alice, "?q=report&after=2000-01-01&before=2999-01-01")).messages).toHaveLength(5);
		expect((await api("/mailbox/messages?after=yesterday", alice)).status).toBe(400);
	});
});

describe("the banner and contacts", () => {
	it("says the server is unreachable while mail is held, with limits for uploads", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("held"));
		const status = (await (await api("/mailbox/status", await signIn(t.alice.email))).json()) as MailboxStatus;
		expect(status).toMatchObject({ domain: t.domain, state: "down", waiting: 1, unread: 1, limits: { maxMessageBytes: 25 * 1024 * 1024 } });
		// An attachment must still fit once base64 has made it a third bigger.
		expect(status.limits.maxAttachmentBytes * (4 / 3)).toBeLessThan(status.limits.maxMessageBytes);
		await configure(t, { held: 1 });
		expect(((await (await api("/mailbox/status", await signIn(t.bob.email))).json()) as MailboxStatus).state).toBe("held");
	});

	it("suggests colleagues, never another company's users", async () => {
		const t = await createTenant();
		await createTenant();
		const contacts = (await (await api("/mailbox/contacts?q=b", await signIn(t.alice.email))).json()) as Contact[];
		expect(contacts).toEqual([{ email: t.bob.email, displayName: "Bob" }]);
		const all = (await (await api("/mailbox/contacts?q=alice", await signIn(t.alice.email))).json()) as Contact[];
		expect(all.map((c) => c.email)).toEqual([t.alice.email]);
	});
});

describe("cookie-less links", () => {
	const withAttachment = (subject: string) =>
		[
			"From: a@example.org",
			`Subject: ${subject}`,
			"Message-ID: <l@example.org>",
			'Content-Type: multipart/mixed; boundary="b"',
			"",
			"--b",
			"Content-Type: text/html",
			"",
			'<p>see <img src="cid:logo@x"> and <img src="https://tracker.example/p.gif"></p>',
			"--b",
			"Content-Type: image/png",
			"Content-ID: <logo@x>",
			"Content-Transfer-Encoding: base64",
			"",
			"iVBORw0KGgo=",
			"--b",
			'Content-Type: text/html; name="evil.html"',
			'Content-Disposition: attachment; filename="evil.html"',
			"",
			"<script>alert(1)</script>",
			"--b--",
			"",
		].join("\r\n");

	it("serve the body, inline images and downloads without a cookie; tampered links are refused", async () => {
		const t = await createTenant();
		await deliver("a@example.org", t.alice.email, withAttachment("links"));
		const alice = await signIn(t.alice.email);
		const id = await idOf(t.alice.email, "links");
		const detail = (await (await api(`/mailbox/messages/${id}`, alice)).json()) as MessageDetail;
		expect(detail.hasRemoteContent).toBe(true);
		const frame = await SELF.fetch(`http://localhost${detail.bodyUrl}`);
		const html = await frame.text();
		expect(frame.headers.get("Content-Security-Policy")).toMatch(/img-src 'self' data:;/);
		expect(
			(await SELF.fetch(`http://localhost${detail.bodyUrl}&images=1`.replace("&", "?"))).headers.get("Content-Security-Policy"),
		).toMatch(/img-src 'self' data: https: http:/);
		const inline = /src="(\/api\/files\/[^"]+)"/.exec(html)?.[1] as string;
		const img = await SELF.fetch(`http://localhost${inline}`);
		expect(img.headers.get("Content-Type")).toBe("image/png");
		const download = detail.attachments.find((a) => a.filename === "evil.html");
		const file = await SELF.fetch(`http://localhost${download?.downloadUrl}`);
		expect(file.headers.get("Content-Type")).toBe("application/octet-stream");
		expect(file.headers.get("Content-Disposition")).toMatch(/^attachment; filename="evil.html"/);
		const tampered = `${download?.downloadUrl.slice(0, -3)}abc`;
		expect((await SELF.fetch(`http://localhost${tampered}`)).status).toBe(404);
	});
});

describe("writing mail", () => {
	it("delivers to a colleague on the same (down) domain, into their Emergency Inbox, with a Sent copy", async () => {
		const t = await createTenant();
		const alice = await signIn(t.alice.email);
		const res = await api(
			"/mailbox/send",
			alice,
			json("POST", { to: [`Bob <${t.bob.email}>`], cc: [], bcc: [], subject: "Status", text: "Server still down?", attachments: [] }),
		);
		expect(res.status).toBe(202);
		const { id } = (await res.json()) as ComposeResult;
		const bob = await signIn(t.bob.email);
		await vi.waitFor(async () => expect((await page(bob)).messages.map((m) => m.subject)).toEqual(["Status"]), wait);
		const sent = await page(alice, "?folder=sent");
		expect(sent.messages.map((m) => m.id)).toEqual([id]);
		await vi.waitFor(async () => {
			const detail = (await (await api(`/mailbox/messages/${id}`, alice)).json()) as MessageDetail;
			expect(detail.recipients).toEqual([{ address: t.bob.email, state: "delivered", detail: expect.stringContaining("stored") }]);
		}, wait);
	});

	it("replies with In-Reply-To and an uploaded attachment to someone outside, through the outbound transport", async () => {
		const t = await createTenant();
		await deliver("client@example.org", t.alice.email, simpleMessage("Question"));
		const original = await idOf(t.alice.email, "Question");
		const alice = await signIn(t.alice.email);
		const up = await api("/mailbox/uploads", alice, {
			method: "POST",
			headers: { "Content-Type": "text/plain", "X-Filename": encodeURIComponent("notes é.txt") },
			body: "attached notes",
		});
		expect(up.status).toBe(201);
		const upload = (await up.json()) as Upload;
		expect(upload).toMatchObject({ filename: "notes é.txt", contentType: "text/plain", size: 14 });
		const sender = `client${crypto.randomUUID().slice(0, 6)}@example.org`;
		const res = await api(
			"/mailbox/send",
			alice,
			json("POST", {
				to: [sender],
				cc: [],
				bcc: [],
				subject: "Re: Question",
				text: "Answer.\n\n> Hello.",
				inReplyTo: original,
				attachments: [upload.id],
			}),
		);
		expect(res.status).toBe(202);
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(1), wait);
		const [got] = await outbox(sender);
		expect(got?.from).toBe(t.alice.email);
		expect(got?.raw).toMatch(/^In-Reply-To: <[^>]+@example\.org>/m);
		expect(got?.raw).toContain(btoa("attached notes"));
		expect(got?.raw).not.toMatch(/^Bcc:/m);
		// The upload is spent.
		expect(await env.DB.prepare("SELECT count(*) AS n FROM uploads WHERE id = ?").bind(upload.id).first("n")).toBe(0);
	});

	it("keeps Bcc recipients out of the headers everyone receives", async () => {
		const t = await createTenant();
		const alice = await signIn(t.alice.email);
		const hidden = `hidden${crypto.randomUUID().slice(0, 6)}@example.org`;
		const open = `open${crypto.randomUUID().slice(0, 6)}@example.org`;
		await api("/mailbox/send", alice, json("POST", { to: [open], cc: [], bcc: [hidden], subject: "bcc", text: "x", attachments: [] }));
		await vi.waitFor(async () => expect(await outbox(hidden)).toHaveLength(1), wait);
		await vi.waitFor(async () => expect(await outbox(open)).toHaveLength(1), wait);
		expect((await outbox(open))[0]?.raw).not.toContain(hidden);
	});

	it("bounces a refused recipient into the sender's own Emergency Inbox, once", async () => {
		const t = await createTenant();
		const alice = await signIn(t.alice.email);
		const res = await api(
			"/mailbox/send",
			alice,
			json("POST", { to: [`nobody@${t.domain}`], cc: [], bcc: [], subject: "To nobody", text: "x", attachments: [] }),
		);
		const { id } = (await res.json()) as ComposeResult;
		await vi.waitFor(
			async () => expect((await page(alice)).messages.map((m) => m.subject)).toEqual(["Delivery Status Notification (Failure)"]),
			wait,
		);
		const detail = (await (await api(`/mailbox/messages/${id}`, alice)).json()) as MessageDetail;
		expect(detail.recipients).toEqual([{ address: `nobody@${t.domain}`, state: "failed", detail: expect.stringContaining("5.1.1") }]);
		expect(detail.status).toBe("bounced");
	});

	it("relays to a colleague whose domain is up, and refuses bad input with a reason", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const server = await scriptedServer();
		await configure(other, { delivery_host: "127.0.0.1", delivery_port: server.port, delivery_tls: "off" });
		const alice = await signIn(t.alice.email);
		await api(
			"/mailbox/send",
			alice,
			json("POST", { to: [other.alice.email], cc: [], bcc: [], subject: "Across", text: "hi", attachments: [] }),
		);
		await vi.waitFor(async () => expect(await server.messages()).toHaveLength(1), wait);
		for (const [body, detail] of [
			[{ to: [], cc: [], bcc: [], subject: "", text: "", attachments: [] }, /at least one recipient/],
			[{ to: ["not an address"], cc: [], bcc: [], subject: "", text: "", attachments: [] }, /"not an address" in To/],
			[{ to: ["a@example.org\r\nBcc: x@y"], cc: [], bcc: [], subject: "", text: "", attachments: [] }, /in To/],
			[
				{ to: ["a@example.org"], cc: [], bcc: [], subject: "", text: "", attachments: ["01ARZ3NDEKTSV4RRFFQ69G5FAV"] },
				/attachment is missing/,
			],
			[
				{ to: ["a@example.org"], cc: [], bcc: [], subject: "", text: "", inReplyTo: "01ARZ3NDEKTSV4RRFFQ69G5FAV", attachments: [] },
				/not in your mailbox/,
			],
		] as const) {
			const res = await api("/mailbox/send", alice, json("POST", body));
			expect(res.status).toBe(422);
			expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
		}
	});
});

describe("the customer's own outbound smarthost", () => {
	it("carries mail to people outside once an admin sets it, and can be unset again", async () => {
		const t = await createTenant();
		const smarthost = await scriptedServer();
		const admin = await signInAdmin(t);
		const set = await api(
			`/admin/domains/${t.domainId}`,
			admin,
			json("PATCH", { outbound: { host: "127.0.0.1", port: smarthost.port, tls: "off" } }),
		);
		expect(await set.json()).toMatchObject({ outbound: { host: "127.0.0.1", port: smarthost.port, tls: "off", authUser: null } });
		const alice = await signIn(t.alice.email);
		const outside = `partner${crypto.randomUUID().slice(0, 6)}@example.org`;
		await api(
			"/mailbox/send",
			alice,
			json("POST", { to: [outside], cc: [], bcc: [], subject: "via smarthost", text: "x", attachments: [] }),
		);
		await vi.waitFor(async () => expect((await smarthost.messages()).map((m) => m.to)).toEqual([[outside]]), wait);
		expect(await outbox(outside)).toEqual([]);
		const unset = await api(`/admin/domains/${t.domainId}`, admin, json("PATCH", { outbound: null }));
		expect(((await unset.json()) as { outbound: unknown }).outbound).toBeNull();
	});
});
