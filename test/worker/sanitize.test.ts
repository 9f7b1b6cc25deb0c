// The allowlist sanitiser on the hostile HTML webmails have been broken with. The sandboxed
// frame and its CSP are the other walls; this one must hold on its own.
import { describe, expect, it } from "vitest";
import { sanitizeHtml } from "../../src/mail/sanitize";
import h5sc from "../fixtures/xss/h5sc/vectors.txt?raw";

const clean = async (html: string, allowRemote = true) =>
	(await sanitizeHtml(html, { cidUrl: (cid) => (cid === "logo@x" ? "/api/files/LOGO" : null), allowRemote })).html;

describe("sanitizeHtml", () => {
	it.each([
		["<script>alert(1)</script><p>ok</p>", "<p>ok</p>"],
		['<img src=x onerror="alert(1)">', "<img>"],
		['<a href="javascript:alert(1)">x</a>', "<a>x</a>"],
		['<a href="java\tscript:alert(1)">x</a>', "<a>x</a>"],
		['<a href=" &#x6A;avascript:alert(1)">x</a>', "<a>x</a>"],
		["<svg><script>alert(1)</script></svg><p>k</p>", "<p>k</p>"],
		["<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""],
		["<iframe src=//evil.example></iframe>", ""],
		['<form action="https://evil.example"><input name=p></form>', ""],
		['<meta http-equiv="refresh" content="0;url=https://evil.example">', ""],
		['<base href="https://evil.example/">', ""],
		// lol-html reads <noscript> as raw text, as a scripting browser does: the tail is inert.
		['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '<img>">'],
		["<!-- <img src=x onerror=alert(1)> -->", ""],
		['<object data="x.swf"></object><embed src="x.swf">', ""],
		['<div style="color:red" data-x="1" id="y">t</div>', '<div style="color:red">t</div>'],
	])("%s", async (input, expected) => {
		expect(await clean(input)).toBe(expected);
	});

	it("keeps http(s) and mailto links, opening them outside the frame without a referrer", async () => {
		expect(await clean('<a href="https://example.com/a?b=1">x</a>')).toBe(
			'<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow">x</a>',
		);
		expect(await clean('<a href="mailto:a@example.org">m</a>')).toContain('href="mailto:a@example.org"');
	});

	it("serves cid: images from the message itself and drops unknown or malformed ones", async () => {
		expect(await clean('<img src="cid:logo@x"><img src="cid:other@x">')).toBe('<img src="/api/files/LOGO"><img>');
		expect(await clean('<img src="cid:%E0%A4%A">')).toBe("<img>");
	});

	it("notes remote images and CSS so the reader can offer to load them", async () => {
		expect((await sanitizeHtml('<img src="https://t.example/p.gif">')).hasRemoteContent).toBe(true);
		expect((await sanitizeHtml('<div style="background:url(https://t.example/p.gif)">x</div>')).hasRemoteContent).toBe(true);
		expect((await sanitizeHtml("<style>@import url(https://t.example/c.css);</style>")).hasRemoteContent).toBe(true);
		expect((await sanitizeHtml('<img src="data:image/png;base64,iVBORw0KGgo=">')).hasRemoteContent).toBe(false);
		expect((await sanitizeHtml('<a href="https://example.com">link</a>')).hasRemoteContent).toBe(false);
	});

	it("removes remote images and CSS loads outright until the user allows them", async () => {
		const html =
			'<img src="https://t.example/p.gif"><div style="color:red;background:url(https://t.example/b.gif)">x</div><style>@import url(https://t.example/c.css); p{background:url("//t.example/x.png")}</style>';
		const blocked = await clean(html, false);
		expect(blocked).not.toMatch(/t\.example/);
		expect(blocked).toContain("<img>");
		expect(blocked).toContain("color:red");
		expect(await clean(html, true)).toContain('src="https://t.example/p.gif"');
	});

	it("sees loads hidden by CSS escapes and comments, and by a sheet split into chunks", async () => {
		// payloadbox #6351: the escapes spell @import 'javascript:…' to the browser.
		const escaped = "<style>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</style><p>x</p>";
		const out = await sanitizeHtml(escaped);
		expect(out.hasRemoteContent).toBe(true);
		expect(out.html).toBe("<style></style><p>x</p>");
		const hex = await sanitizeHtml('<div style="color:red;background:\\75 rl(https://t.example/b.gif)">x</div>');
		expect(hex.hasRemoteContent).toBe(true);
		expect(hex.html).toBe('<div style="">x</div>');
		// A sheet long enough to reach the rewriter in several chunks, with the load at its end.
		const long = `<style>${"p{color:red}".repeat(20_000)}@import url(https://t.example/c.css);</style>`;
		const split = await sanitizeHtml(long);
		expect(split.hasRemoteContent).toBe(true);
		expect(split.html).not.toContain("t.example");
		expect(split.html).toContain("p{color:red}");
	});

	it("shows markup lol-html finds ambiguous as escaped text instead of failing (the H5SC page)", async () => {
		const out = await sanitizeHtml(h5sc);
		expect(out.html.startsWith("<pre>")).toBe(true);
		expect(out.html).not.toMatch(/<(?!\/?pre>)/);
	});

	it("refuses inline images that are not plain raster formats", async () => {
		expect(await clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">')).toBe("<img>");
		expect(await clean('<img src="data:text/html,<script>alert(1)</script>">')).toBe("<img>");
	});
});
