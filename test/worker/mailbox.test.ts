import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MessageDetail, MessagePage as Page } from "../../src/api/types";
import { api, createTenant, deliver, signIn, simpleMessage } from "./helpers";

const WITH_ATTACHMENT = [
	"From: =?utf-8?q?Zo=C3=AB?= <zoe@example.org>",
	"To: alice@example.com",
	"Subject: Report attached",
	"Date: Thu, 26 Nov 2026 09:30:00 +0100",
	"Message-ID: <att-1@example.org>",
	"MIME-Version: 1.0",
	'Content-Type: multipart/mixed; boundary="b1"',
	"",
	"--b1",
	"Content-Type: text/html; charset=utf-8",
	"",
	'<p onclick="steal()">Hi <b>Alice</b><script>alert(1)</script><a href="javascript:alert(2)">x</a><img src="https://tracker.example/p.gif"></p>',
	"--b1",
	'Content-Type: image/svg+xml; name="chart.svg"',
	'Content-Disposition: attachment; filename="chart.svg"',
	"Content-Transfer-Encoding: base64",
	"",
	btoa('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(3)</script></svg>'),
	"--b1--",
	"",
].join("\r\n");

describe("GET /api/mailbox/messages", () => {
	it("lists the owner's messages newest first with the documented fields", async () => {
		const t = await createTenant();
		await deliver("zoe@example.org", t.alice.email, WITH_ATTACHMENT);
		await deliver("x@example.org", t.alice.email, simpleMessage("Later"));
		const cookie = await signIn(t.alice.email);
		const res = await api("/mailbox/messages", cookie);
		expect(res.status).toBe(200);
		const page = (await res.json()) as Page;
		expect(page.nextCursor).toBeNull();
		expect(page.messages.map((m) => m.subject)).toEqual(["Later", "Report attached"]);
		const [, report] = page.messages;
		expect(report).toMatchObject({
			from: "Zoë <zoe@example.org>",
			to: "alice@example.com",
			date: "2026-11-26T08:30:00.000Z",
			size: new TextEncoder().encode(WITH_ATTACHMENT).byteLength,
			hasAttachments: true,
			seen: false,
			status: "spooled",
		});
		expect(Date.parse(report?.receivedAt ?? "")).toBeGreaterThan(Date.now() - 60_000);
	});

	it("pages by cursor without gaps or repeats", async () => {
		const t = await createTenant();
		for (let i = 0; i < 7; i++) await deliver("x@example.org", t.alice.email, simpleMessage(`m${i}`));
		const cookie = await signIn(t.alice.email);
		const seen: string[] = [];
		let cursor: string | null = null;
		let pages = 0;
		do {
			const page = (await (await api(`/mailbox/messages?limit=3${cursor ? `&cursor=${cursor}` : ""}`, cookie)).json()) as Page;
			seen.push(...page.messages.map((m) => m.subject));
			cursor = page.nextCursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual(["m6", "m5", "m4", "m3", "m2", "m1", "m0"]);
	});

	it("answers bad paging parameters with 400 problem+json", async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		for (const q of ["limit=0", "limit=abc", "limit=1000", "cursor=../../etc"]) {
			const res = await api(`/mailbox/messages?${q}`, cookie);
			expect(res.status, q).toBe(400);
			expect(res.headers.get("Content-Type")).toBe("application/problem+json");
		}
	});

	it("needs a session: 401 without one", async () => {
		const res = await api("/mailbox/messages", "");
		expect(res.status).toBe(401);
		expect(res.headers.get("Content-Type")).toBe("application/problem+json");
	});

	it("keeps the list query on the mailbox index (no table scan, no OFFSET)", async () => {
		const plan = await env.DB.prepare(
			"EXPLAIN QUERY PLAN SELECT id FROM messages WHERE user_id = ? AND folder = 'inbox' AND held_at IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 51",
		)
			.bind("u", "z")
			.all();
		const detail = plan.results.map((r) => String(r.detail)).join(" | ");
		expect(detail).toMatch(/USING (COVERING )?INDEX messages_held_mailbox_idx/);
		expect(detail).not.toMatch(/TEMP B-TREE/);
	});
});

describe("reading a message", () => {
	it("returns headers, text, sanitised HTML and the attachment list", async () => {
		const t = await createTenant();
		await deliver("zoe@example.org", t.alice.email, WITH_ATTACHMENT);
		const cookie = await signIn(t.alice.email);
		const [item] = ((await (await api("/mailbox/messages", cookie)).json()) as Page).messages;
		const res = await api(`/mailbox/messages/${item?.id}`, cookie);
		expect(res.status).toBe(200);
		const msg = (await res.json()) as MessageDetail;
		expect(msg.headers).toMatchObject({ from: "Zoë <zoe@example.org>", subject: "Report attached", messageId: "<att-1@example.org>" });
		expect(msg.envelope).toEqual({ from: "zoe@example.org", to: t.alice.email });
		// The HTML body is its own document behind a cookie-less link, with its own CSP.
		const frame = await SELF.fetch(`http://localhost${msg.bodyUrl}`);
		expect(frame.status).toBe(200);
		expect(frame.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'.*sandbox/);
		expect(frame.headers.get("Content-Security-Policy")).not.toMatch(/script-src/);
		const html = await frame.text();
		expect(html).toContain("<b>Alice</b>");
		expect(html).not.toMatch(/script|onclick|javascript:/i);
		expect(msg.hasRemoteContent).toBe(true);
		expect(msg.attachments).toEqual([
			{
				index: 0,
				filename: "chart.svg",
				contentType: "image/svg+xml",
				disposition: "attachment",
				contentId: null,
				size: 71,
				downloadUrl: expect.stringMatching(/^\/api\/files\/[\w-]+\.[\w-]+$/),
			},
		]);
	});

	it("downloads an attachment as opaque bytes, never rendered inline", async () => {
		const t = await createTenant();
		await deliver("zoe@example.org", t.alice.email, WITH_ATTACHMENT);
		const cookie = await signIn(t.alice.email);
		const [item] = ((await (await api("/mailbox/messages", cookie)).json()) as Page).messages;
		const res = await api(`/mailbox/messages/${item?.id}/attachments/0`, cookie);
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="chart.svg"; filename*=UTF-8''chart.svg`);
		expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
		expect(res.headers.get("Content-Type")).toBe("application/octet-stream");
		expect(res.headers.get("Content-Security-Policy")).toMatch(/sandbox/);
		expect(await res.text()).toContain("<svg");
		expect((await api(`/mailbox/messages/${item?.id}/attachments/1`, cookie)).status).toBe(404);
		expect((await api(`/mailbox/messages/${item?.id}/attachments/x`, cookie)).status).toBe(404);
	});

	it("serves the stored bytes as message/rfc822", async () => {
		const t = await createTenant();
		await deliver("zoe@example.org", t.alice.email, WITH_ATTACHMENT);
		const cookie = await signIn(t.alice.email);
		const [item] = ((await (await api("/mailbox/messages", cookie)).json()) as Page).messages;
		const res = await api(`/mailbox/messages/${item?.id}/raw`, cookie);
		expect(res.status).toBe(200);
		expect(res.headers.get("Content-Type")).toBe("message/rfc822");
		expect(await res.text()).toBe(WITH_ATTACHMENT);
	});
});

describe("tenant isolation", () => {
	it("gives bob and another customer's user 404 for alice's message, on every read path", async () => {
		const t = await createTenant();
		const other = await createTenant();
		await deliver("zoe@example.org", t.alice.email, WITH_ATTACHMENT);
		const alice = await signIn(t.alice.email);
		const [item] = ((await (await api("/mailbox/messages", alice)).json()) as Page).messages;
		const paths = ["", "/raw", "/attachments/0"].map((p) => `/mailbox/messages/${item?.id}${p}`);
		for (const intruder of [await signIn(t.bob.email), await signIn(other.alice.email)]) {
			expect(((await (await api("/mailbox/messages", intruder)).json()) as Page).messages).toEqual([]);
			for (const path of paths) {
				const res = await api(path, intruder);
				expect(res.status, path).toBe(404);
				expect(await res.text()).not.toContain("Report attached");
			}
		}
		for (const path of paths) expect((await api(path, "")).status, path).toBe(401);
		for (const path of paths) expect((await api(path, alice)).status, path).toBe(200);
	});
});

describe("mail postal-mime cannot read", () => {
	it("is stored, flagged, listed and downloadable byte-exact", async () => {
		const t = await createTenant();
		// Nesting deeper than the parser's limit makes postal-mime give up on this message.
		const depth = 80;
		let raw = "From: a@example.org\r\nSubject: deep\r\nMessage-ID: <deep@example.org>\r\n";
		for (let i = 0; i < depth; i++) raw += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
		raw += "Content-Type: text/plain\r\n\r\nbottom\r\n";
		for (let i = depth - 1; i >= 0; i--) raw += `--b${i}--\r\n`;
		expect((await deliver("a@example.org", t.alice.email, raw)).rejected).toBeNull();
		const cookie = await signIn(t.alice.email);
		const page = (await (await api("/mailbox/messages", cookie)).json()) as Page;
		expect(page.messages).toHaveLength(1);
		expect(page.messages[0]?.parseError).toBe(true);
		const view = (await (await api(`/mailbox/messages/${page.messages[0]?.id}`, cookie)).json()) as MessageDetail;
		expect(view.parseError).toMatch(/nesting|depth/i);
		expect(await (await api(`/mailbox/messages/${page.messages[0]?.id}/raw`, cookie)).text()).toBe(raw);
	});
});
