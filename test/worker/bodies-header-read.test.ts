// Reading a stored message's header section by R2 ranged reads (src/bodies/header-read.ts),
// and the DSN path that uses it: the headers part must be what reading the whole message
// gave, while a multi-megabyte body is never read.
import { env } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { HEADER_READ_FIRST_BYTES, HEADER_READ_MAX_BYTES, readHeaderSection } from "../../src/bodies/header-read";
import { headerBlock } from "../../src/bounce/loop-guard";
import { systemClock } from "../../src/lib/clock";
import { sendDsnJob } from "../../src/queue/dsn";
import type { DsnJob } from "../../src/queue/messages";
import { configure, idOf, outbox } from "./downstream";
import { createTenant, deliver } from "./helpers";
import { countingBucket } from "./r2-instrument";

const KB = 1024;
const MB = 1024 * KB;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

async function stored(raw: string | Uint8Array): Promise<string> {
	const key = `test/header-read/${crypto.randomUUID()}.eml`;
	await env.MAIL.put(key, typeof raw === "string" ? encoder.encode(raw) : raw);
	return key;
}

/** `n` header fields of exactly 100 bytes each, CRLF included. */
function fields(n: number, eol = "\r\n"): string {
	let s = "";
	for (let i = 0; i < n; i++) {
		const name = `X-Field-${String(i).padStart(6, "0")}: `;
		s += `${name}${"v".repeat(100 - name.length - eol.length)}${eol}`;
	}
	return s;
}

const text = (bytes: Uint8Array | null) => (bytes === null ? null : decoder.decode(bytes));

describe("readHeaderSection", () => {
	it("returns the header section alone, from one range when the headers fit", async () => {
		const headers = "From: a@example.org\r\nSubject: hi\r\n folded\r\n";
		const counter = countingBucket(env.MAIL);
		const section = await readHeaderSection(counter.bucket, await stored(`${headers}\r\nbody\r\n\r\nmore\r\n`));
		expect(text(section)).toBe(headers);
		expect(counter.gets.map((g) => g.range)).toEqual([{ offset: 0, length: HEADER_READ_FIRST_BYTES }]);
	});

	it("grows the range until the empty line when 40 KB of headers exceed the first one", async () => {
		const headers = fields(400);
		expect(headers.length).toBe(40_000);
		const counter = countingBucket(env.MAIL);
		const section = await readHeaderSection(counter.bucket, await stored(`${headers}\r\n${"body line\r\n".repeat(100_000)}`));
		expect(text(section)).toBe(headers);
		expect(counter.gets.map((g) => g.range)).toEqual([
			{ offset: 0, length: 16 * KB },
			{ offset: 16 * KB, length: 32 * KB },
		]);
		expect(counter.bytesRead()).toBe(48 * KB);
	});

	it("finds an empty line split across two ranges, CRLF and LF alike", async () => {
		// The first range ends between the CR and the LF of the empty line.
		const crlf = `${"A: ".padEnd(16 * KB - 3, "a")}\r\n`;
		expect(await readHeaderSection(env.MAIL, await stored(`${crlf}\r\nbody`)).then(text)).toBe(crlf);
		const lf = `${"A: ".padEnd(16 * KB - 1, "a")}\n`;
		expect(await readHeaderSection(env.MAIL, await stored(`${lf}\nbody`)).then(text)).toBe(lf);
		expect(await readHeaderSection(env.MAIL, await stored("A: 1\nB: 2\n\nbody\n")).then(text)).toBe("A: 1\nB: 2\n");
	});

	it("reads 16 KB of a 5 MB message, whatever the body's size", async () => {
		const headers = fields(20);
		const raw = new Uint8Array(5 * MB);
		raw.set(encoder.encode(`${headers}\r\n`));
		raw.fill(0x78, headers.length + 2);
		const counter = countingBucket(env.MAIL);
		expect(text(await readHeaderSection(counter.bucket, await stored(raw)))).toBe(headers);
		expect(counter.gets).toHaveLength(1);
		expect(counter.bytesRead()).toBe(HEADER_READ_FIRST_BYTES);
	});

	it("returns a whole object with no empty line, and nothing for a message without headers", async () => {
		const noBlank = fields(1000);
		expect(text(await readHeaderSection(env.MAIL, await stored(noBlank)))).toBe(noBlank);
		expect(text(await readHeaderSection(env.MAIL, await stored("A: 1\r\nB: no line end")))).toBe("A: 1\r\nB: no line end");
		expect(text(await readHeaderSection(env.MAIL, await stored("\r\nbody only\r\n")))).toBe("");
		expect(text(await readHeaderSection(env.MAIL, await stored("")))).toBe("");
		expect(await readHeaderSection(env.MAIL, "test/header-read/no-such-object.eml")).toBeNull();
	});

	it(`stops at ${HEADER_READ_MAX_BYTES} bytes on a 5 MB object with no empty line, at a line boundary`, async () => {
		const raw = fields(50_000); // 5 000 000 bytes of header-like lines, never an empty one
		const counter = countingBucket(env.MAIL);
		const section = await readHeaderSection(counter.bucket, await stored(raw));
		const whole = Math.floor(HEADER_READ_MAX_BYTES / 100) * 100;
		expect(text(section)).toBe(raw.slice(0, whole));
		expect(counter.bytesRead()).toBe(HEADER_READ_MAX_BYTES);
		expect(counter.gets.map((g) => g.range?.length)).toEqual([16, 32, 64, 128, 256, 512, 16].map((k) => k * KB));
	});

	it("cuts before a folded field the limit falls in, and never splits one", async () => {
		const options = { firstBytes: 64, maxBytes: 1000 };
		const head = fields(8); // 800 bytes
		const folded = `Folded: start\r\n${" continued line\r\n".repeat(30)}`;
		expect(text(await readHeaderSection(env.MAIL, await stored(`${head}${folded}\r\nbody`), options))).toBe(head);
		// The limit falls exactly after a line: what follows it might continue the field, so it goes too.
		const exact = `${fields(9)}B: ${"b".repeat(95)}\r\n`;
		expect(exact.length).toBe(1000);
		expect(text(await readHeaderSection(env.MAIL, await stored(`${exact} more\r\n\r\n`), options))).toBe(fields(9));
		// One line longer than the limit: nothing of it.
		expect(text(await readHeaderSection(env.MAIL, await stored(`X: ${"x".repeat(2000)}\r\n\r\n`), options))).toBe("");
	});

	it("gives headerBlock what reading the whole message gave it, past its 64 KiB cap too", async () => {
		const folded = (n: number) => `Long: start\r\n${" more\r\n".repeat(n)}`;
		const cases = [
			`${fields(10)}\r\nbody`,
			`${fields(700)}\r\nbody`, // 70 000 bytes: headerBlock stops at a field start
			`${fields(650)}${folded(2000)}${fields(5)}\r\nbody`, // a folded field across the cap
			`${fields(800)}`, // no empty line
			`${fields(10, "\n")}\nbody`,
		];
		for (const raw of cases) {
			const section = await readHeaderSection(env.MAIL, await stored(raw));
			expect(headerBlock(section as Uint8Array)).toBe(headerBlock(encoder.encode(raw)));
		}
	});
});

describe("a DSN about a large message", () => {
	it("quotes the exact header section of a 3 MB message, reading 16 KB of it", async () => {
		const t = await createTenant();
		await configure(t, { held: 1 });
		const sender = `s${crypto.randomUUID().slice(0, 8)}@example.org`;
		const headers = [
			`From: <${sender}>`,
			`To: ${t.alice.email}`,
			"Subject: large",
			"Date: Fri, 27 Nov 2026 10:00:00 +0000",
			`Message-ID: <${crypto.randomUUID()}@example.org>`,
			"MIME-Version: 1.0",
			"Content-Type: text/plain; charset=us-ascii",
			"",
		].join("\r\n");
		const raw = `${headers}\r\n${"0123456789abcdefghijklmnopqrstuvwxyz\r\n".repeat((3 * MB) / 38)}`;
		expect(raw.length).toBeGreaterThan(3 * MB);
		expect((await deliver(sender, t.alice.email, raw)).rejected).toBeNull();
		const id = await idOf(t.alice.email, "large");

		const counter = countingBucket(env.MAIL);
		const job: DsnJob = {
			kind: "dsn",
			messageId: id,
			recipient: t.alice.email,
			action: "failed",
			status: "5.1.1",
			mark: 0,
			diagnostic: "550 5.1.1 user unknown",
			remoteMta: null,
			lastAttemptAt: Date.now(),
			willRetryUntil: null,
		};
		await sendDsnJob(job, { ...env, MAIL: counter.bucket }, systemClock);
		await vi.waitFor(async () => expect(await outbox(sender)).toHaveLength(1), { timeout: 15_000, interval: 50 });
		const [dsn] = await outbox(sender);
		const part = /Content-Type: text\/rfc822-headers\r\n\r\n([\s\S]*?)\r\n--/.exec(dsn?.raw ?? "")?.[1];
		expect(part).toBe(headers);
		expect(dsn?.raw).not.toContain("0123456789abcdef");
		expect(counter.gets).toHaveLength(1);
		expect(counter.bytesRead()).toBe(HEADER_READ_FIRST_BYTES);
	});
});
