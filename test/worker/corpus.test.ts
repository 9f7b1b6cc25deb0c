// Every real message of the corpus goes in through the email handler and comes back out of
// the API byte for byte, whether or not postal-mime can make sense of it.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/bytes";
import manifestText from "../fixtures/manifest.tsv?raw";
import { api, createTenant, deliver, signIn } from "./helpers";

const files = import.meta.glob<string>(["../fixtures/eml/**/*", "!**/*.json", "!**/COPYING"], { query: "?bytes", import: "default" });

const expected = new Map(
	manifestText
		.trim()
		.split("\n")
		.slice(1)
		.map((line) => line.split("\t"))
		.map((cols) => [cols[7] as string, { bytes: Number(cols[4]), sha256: cols[5] as string }]),
);

const decode = (base64: string) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

describe("the shared corpus", () => {
	it("has a provenance row for every fixture", () => {
		const paths = Object.keys(files).map((p) => p.replace("../fixtures/", ""));
		expect(paths.length).toBeGreaterThan(300);
		for (const path of paths) expect(expected.has(path), path).toBe(true);
	});

	it("stores every message and reads it back byte-exact through the API", { timeout: 300_000 }, async () => {
		const t = await createTenant();
		const cookie = await signIn(t.alice.email);
		let n = 0;
		for (const [path, load] of Object.entries(files)) {
			const raw = decode(await load());
			const row = expected.get(path.replace("../fixtures/", ""));
			expect(await sha256Hex(raw), `${path} matches its manifest row`).toBe(row?.sha256);
			// A tag per fixture: identical files in two projects still make two messages.
			const to = `alice+f${n++}@${t.domain}`;
			const verdict = await deliver("corpus@example.org", to, raw);
			expect(verdict.rejected, path).toBeNull();
			const id = await env.DB.prepare("SELECT id FROM messages WHERE envelope_to = ?").bind(to).first<string>("id");
			const res = await api(`/mailbox/messages/${id}/raw`, cookie);
			expect(res.status, path).toBe(200);
			const back = new Uint8Array(await res.arrayBuffer());
			expect(back.byteLength, path).toBe(row?.bytes);
			expect(await sha256Hex(back), path).toBe(row?.sha256);
			const view = await api(`/mailbox/messages/${id}`, cookie);
			expect(view.status, `${path} parsed view`).toBe(200);
		}
		const count = await env.DB.prepare("SELECT count(*) AS n FROM messages WHERE user_id = ?").bind(t.alice.id).first("n");
		expect(count).toBe(n);
	});
});
