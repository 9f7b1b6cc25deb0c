// The webmail's pure helpers, in Node: linkifying plain-text mail, reply and forward drafts,
// address parsing, and which key press is which shortcut. They import nothing from the DOM,
// so they run here without a browser.
import { describe, expect, it } from "vitest";
import type { MessageDetail } from "../../src/api/types";
import { checkAddressList, formatAddress, isValidEmail, parseAddress, splitAddressList } from "../../web/src/lib/addresses";
import { draftFor, forwardSubject, quoteLines, replyRecipients, replySubject } from "../../web/src/lib/compose-draft";
import { linkify, safeHref } from "../../web/src/lib/linkify";
import { isTyping, shortcutFor } from "../../web/src/lib/shortcuts";

describe("linkify", () => {
	it("keeps text without links as one text piece", () => {
		expect(linkify("no links here, just example.com")).toEqual([{ text: "no links here, just example.com" }]);
	});

	it("links http, https and mailto with the matched text as href", () => {
		expect(linkify("See https://example.org/a?b=1&c=2 or mail mailto:ops@example.org now")).toEqual([
			{ text: "See " },
			{ text: "https://example.org/a?b=1&c=2", href: "https://example.org/a?b=1&c=2" },
			{ text: " or mail " },
			{ text: "mailto:ops@example.org", href: "mailto:ops@example.org" },
			{ text: " now" },
		]);
		expect(linkify("http://x.test")).toEqual([{ text: "http://x.test", href: "http://x.test" }]);
	});

	it("leaves trailing punctuation out of the link", () => {
		for (const [input, url] of [
			["Go to https://example.org/path.", "https://example.org/path"],
			["Really? https://example.org/q?x=1!", "https://example.org/q?x=1"],
			["(see https://example.org/docs)", "https://example.org/docs"],
			["list: https://a.example/one, https://b.example/two;", "https://a.example/one"],
			["quoted 'https://example.org/x' here", "https://example.org/x"],
			['html-ish <https://example.org/y> and "https://example.org/z"', "https://example.org/y"],
		] as const) {
			expect(linkify(input).find((p) => p.href)?.href, input).toBe(url);
		}
		// A closing bracket that closes one inside the URL belongs to it.
		expect(linkify("https://en.wikipedia.org/wiki/Mail_(disambiguation).")[0]).toEqual({
			text: "https://en.wikipedia.org/wiki/Mail_(disambiguation)",
			href: "https://en.wikipedia.org/wiki/Mail_(disambiguation)",
		});
	});

	it("never links other schemes or malformed URLs, and keeps their text", () => {
		for (const input of [
			"javascript:alert(1)",
			"JaVaScRiPt:alert(document.cookie)",
			"data:text/html,<script>alert(1)</script>",
			"vbscript:msgbox",
			"file:///etc/passwd",
			"ftp://example.org/x",
			"http://",
			"https://.",
			"mailto:",
			"xhttps://example.org",
			"evil.https://example.org",
		]) {
			const pieces = linkify(input);
			expect(
				pieces.every((p) => !p.href),
				input,
			).toBe(true);
			expect(pieces.map((p) => p.text).join("")).toBe(input);
		}
	});

	it("keeps markup as text: the pieces rebuild the input exactly", () => {
		const input = '<img src=x onerror=alert(1)> https://example.org/"><script>alert(1)</script> & more';
		const pieces = linkify(input);
		expect(pieces.map((p) => p.text).join("")).toBe(input);
		expect(pieces.filter((p) => p.href).map((p) => p.href)).toEqual(["https://example.org/"]);
	});

	it("validates hrefs with the URL parser", () => {
		expect(safeHref("https://example.org")).toBe("https://example.org");
		expect(safeHref("HTTPS://EXAMPLE.ORG/A")).toBe("HTTPS://EXAMPLE.ORG/A");
		expect(safeHref("javascript:alert(1)")).toBeNull();
		expect(safeHref("https://exa mple.org")).toBeNull();
	});
});

describe("addresses", () => {
	it("splits on commas and semicolons outside quotes and angle brackets", () => {
		expect(splitAddressList('Ada <ada@example.com>, "Doe, Jane" <jane@x.org>; bob@example.com,, ')).toEqual([
			"Ada <ada@example.com>",
			'"Doe, Jane" <jane@x.org>',
			"bob@example.com",
		]);
	});

	it("parses the usual forms", () => {
		expect(parseAddress("bob@acme.test")).toEqual({ name: "", email: "bob@acme.test" });
		expect(parseAddress("Bob Example <bob@acme.test>")).toEqual({ name: "Bob Example", email: "bob@acme.test" });
		expect(parseAddress('"Doe, Jane" <jane@x.org>')).toEqual({ name: "Doe, Jane", email: "jane@x.org" });
		expect(parseAddress("<ops@example.org>")).toEqual({ name: "", email: "ops@example.org" });
		expect(parseAddress("José <josé@exämple.de>")).toEqual({ name: "José", email: "josé@exämple.de" });
	});

	it("rejects what is not an address", () => {
		for (const bad of [
			"bob",
			"bob@",
			"@acme.test",
			"bob@acme",
			"bob@@acme.test",
			"bob smith@acme.test",
			"Bob <bob>",
			"a..b@x.org",
			"bob@x.c",
		]) {
			expect(parseAddress(bad), bad).toBeNull();
		}
		expect(isValidEmail("a.b+tag@sub.example.co.uk")).toBe(true);
	});

	it("reports the entries that are wrong", () => {
		const checked = checkAddressList("alice@acme.test, bob@, Carol <carol@globex.test>, nobody");
		expect(checked.addresses.map((a) => a.email)).toEqual(["alice@acme.test", "carol@globex.test"]);
		expect(checked.invalid).toEqual(["bob@", "nobody"]);
	});

	it("formats names that need quoting", () => {
		expect(formatAddress({ name: "", email: "a@x.org" })).toBe("a@x.org");
		expect(formatAddress({ name: "Ada Lovelace", email: "a@x.org" })).toBe("Ada Lovelace <a@x.org>");
		expect(formatAddress({ name: 'Doe, "J"', email: "j@x.org" })).toBe('"Doe, \\"J\\"" <j@x.org>');
	});
});

function message(headers: Partial<NonNullable<MessageDetail["headers"]>>, text = "Hello\n\nBye"): MessageDetail {
	return {
		id: "01JDEMO0000000000000000000",
		status: "spooled",
		receivedAt: "2026-11-27T10:00:00.000Z",
		size: 100,
		envelope: { from: "zed@example.org", to: "alice@acme.test" },
		parseError: null,
		headers: {
			from: "Zed <zed@example.org>",
			to: "alice@acme.test",
			cc: "",
			replyTo: "",
			subject: "Invoice",
			date: "2026-11-27T09:58:00.000Z",
			messageId: "<m1@example.org>",
			inReplyTo: null,
			references: null,
			...headers,
		},
		folder: "inbox",
		seen: true,
		text,
		bodyUrl: null,
		hasRemoteContent: false,
		rawHeaders: "",
		attachments: [],
		recipients: [],
	};
}

const fixedDate = (v: string) => `<${v}>`;

describe("reply and forward drafts", () => {
	it("prefixes the subject once", () => {
		expect(replySubject("Invoice")).toBe("Re: Invoice");
		expect(replySubject("Re: Invoice")).toBe("Re: Invoice");
		expect(replySubject("RE: Invoice")).toBe("RE: Invoice");
		expect(replySubject("Aw: Rechnung")).toBe("Aw: Rechnung");
		expect(replySubject("Fwd: Invoice")).toBe("Re: Fwd: Invoice");
		expect(replySubject("")).toBe("Re: ");
		expect(forwardSubject("Invoice")).toBe("Fwd: Invoice");
		expect(forwardSubject("Fwd: Invoice")).toBe("Fwd: Invoice");
		expect(forwardSubject("FW: Invoice")).toBe("FW: Invoice");
		expect(forwardSubject("Re: Invoice")).toBe("Fwd: Re: Invoice");
	});

	it("quotes every line, blank ones without a trailing space", () => {
		expect(quoteLines("one\r\n\r\n> two\n")).toBe("> one\n>\n> > two");
	});

	it("replies to Reply-To, else From, with the quote under a blank line", () => {
		const draft = draftFor("reply", message({}), "alice@acme.test", fixedDate);
		expect(draft).toEqual({
			to: "Zed <zed@example.org>",
			cc: "",
			subject: "Re: Invoice",
			text: "\n\nOn <2026-11-27T09:58:00.000Z>, Zed <zed@example.org> wrote:\n> Hello\n>\n> Bye\n",
			inReplyTo: "01JDEMO0000000000000000000",
		});
		expect(draftFor("reply", message({ replyTo: "billing@example.org" }), "alice@acme.test", fixedDate).to).toBe("billing@example.org");
	});

	it("reply all adds To and Cc without the user and without duplicates", () => {
		const m = message({ to: "alice@acme.test, Bob <bob@acme.test>", cc: "ALICE@acme.test, carol@globex.test, zed@example.org" });
		const { to, cc } = replyRecipients(m, "alice@acme.test", true);
		expect(to.map((a) => a.email)).toEqual(["zed@example.org"]);
		expect(cc.map((a) => a.email)).toEqual(["bob@acme.test", "carol@globex.test"]);
		expect(replyRecipients(m, "alice@acme.test", false).cc).toEqual([]);
	});

	it("a reply to one's own sent message goes to its recipients", () => {
		const m = message({ from: "Alice <alice@acme.test>", to: "bob@acme.test", cc: "carol@globex.test" });
		const { to, cc } = replyRecipients(m, "alice@acme.test", true);
		expect(to.map((a) => a.email)).toEqual(["bob@acme.test"]);
		expect(cc.map((a) => a.email)).toEqual(["carol@globex.test"]);
	});

	it("forwards with a header block and the original text", () => {
		const draft = draftFor("forward", message({ cc: "bob@acme.test" }), "alice@acme.test", fixedDate);
		expect(draft.to).toBe("");
		expect(draft.subject).toBe("Fwd: Invoice");
		expect(draft.forwardOf).toBe("01JDEMO0000000000000000000");
		expect(draft.inReplyTo).toBeUndefined();
		expect(draft.text).toBe(
			[
				"",
				"",
				"---------- Forwarded message ----------",
				"From: Zed <zed@example.org>",
				"Date: <2026-11-27T09:58:00.000Z>",
				"Subject: Invoice",
				"To: alice@acme.test",
				"Cc: bob@acme.test",
				"",
				"Hello",
				"",
				"Bye",
				"",
			].join("\n"),
		);
	});

	it("falls back to the envelope when the message could not be parsed", () => {
		const m = { ...message({}, ""), headers: null, text: null };
		const draft = draftFor("reply", m, "alice@acme.test", fixedDate);
		expect(draft.to).toBe("zed@example.org");
		expect(draft.subject).toBe("Re: ");
	});
});

describe("shortcut keys", () => {
	const body = { tagName: "BODY" };
	it("maps the keys", () => {
		const map = Object.fromEntries(
			["j", "k", "o", "Enter", "u", "r", "a", "f", "c", "/", "#", "?"].map((key) => [key, shortcutFor({ key, target: body })]),
		);
		expect(map).toEqual({
			j: "next",
			k: "previous",
			o: "open",
			Enter: "open",
			u: "back",
			r: "reply",
			a: "replyAll",
			f: "forward",
			c: "compose",
			"/": "search",
			"#": "delete",
			"?": "help",
		});
		expect(shortcutFor({ key: "x", target: body })).toBeNull();
		expect(shortcutFor({ key: "J", target: body })).toBeNull();
	});

	it("stays out of the way while typing", () => {
		for (const target of [
			{ tagName: "INPUT" },
			{ tagName: "INPUT", type: "search" },
			{ tagName: "INPUT", type: "email" },
			{ tagName: "TEXTAREA" },
			{ tagName: "SELECT" },
			{ tagName: "DIV", isContentEditable: true },
		]) {
			expect(isTyping(target)).toBe(true);
			expect(shortcutFor({ key: "j", target })).toBeNull();
		}
		// A ticked row checkbox is not typing: j/k go on working from it.
		expect(shortcutFor({ key: "j", target: { tagName: "INPUT", type: "checkbox" } })).toBe("next");
	});

	it("ignores modified keys and leaves Enter to links and buttons", () => {
		expect(shortcutFor({ key: "r", ctrlKey: true, target: body })).toBeNull();
		expect(shortcutFor({ key: "c", metaKey: true, target: body })).toBeNull();
		expect(shortcutFor({ key: "f", altKey: true, target: body })).toBeNull();
		expect(shortcutFor({ key: "Enter", target: { tagName: "A" } })).toBeNull();
		expect(shortcutFor({ key: "Enter", target: { tagName: "BUTTON" } })).toBeNull();
		expect(shortcutFor({ key: "o", target: { tagName: "A" } })).toBe("open");
		expect(shortcutFor({ key: "j", target: null })).toBe("next");
	});
});
