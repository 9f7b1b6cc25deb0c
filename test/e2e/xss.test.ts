// Hostile markup from three public XSS collections (test/fixtures/xss) in every part of a
// message a reader sees: HTML and plain-text bodies, subjects, display names, attachment file
// names, types and contents. Opened in headless Chromium, none of it may run a script, navigate
// anywhere or reach a remote host while images are blocked. CI runs a fixed sample;
// `npm run test:xss` (XSS_FULL=1) runs every vector.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalService, startLocal } from "../../scripts/lib/local-service";
import { freePort } from "../../scripts/lib/ports";
import { deliverAll, placementCounts, type Refused, signInApi, waitForHeld } from "./xss-delivery";
import { h5scPage, loadVectors, type Planted, plan } from "./xss-messages";
import { type Finding, type SweepOptions, sweep } from "./xss-sweep";

const FULL = process.env.XSS_FULL === "1";
const log = (line: string) => console.log(`[xss] ${line}`);
const run = Date.now().toString(36);

let service: LocalService;
const stateDir = mkdtempSync(join(tmpdir(), "ei-xss-"));
/** Every message sent so far, by its sequence number (the tag in its snippet and Message-ID). */
const bySeq = new Map<number, Planted[]>();
let nextSeq = 1;

beforeAll(async () => {
	service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
});

afterAll(async () => {
	await service?.stop();
	// Thousands of hostile messages are no spool worth keeping.
	rmSync(stateDir, { recursive: true, force: true });
});

const label = (planted: Planted[]) => {
	const what = planted.map((p) => `${p.placement}:${p.vector.id}`);
	return (what.length > 6 ? [...what.slice(0, 6), `… ${what.length - 6} more`] : what).join(", ") || "unknown";
};

const describeFinding = (f: Finding) =>
	`${f.kind} in ${f.where} (message ${f.seq ?? "?"}: ${label(bySeq.get(f.seq ?? 0) ?? [])}): ${f.detail}`;

/** Delivers the groups, waits until acme.test's outage has held them all, and sweeps them in the browser. */
async function round(groups: Planted[][], options: SweepOptions) {
	const delivery = await deliverAll(service.url, run, groups, nextSeq);
	nextSeq = delivery.nextSeq;
	for (const d of delivery.delivered) bySeq.set(d.seq, d.planted);
	const seqs = delivery.delivered.map((d) => d.seq);
	const held = await waitForHeld(service.url, await signInApi(service.url), run, seqs, 60_000 + seqs.length * 20);
	return { delivery, result: await sweep(service.url, held, { ...options, log }) };
}

/**
 * One message per vector and placement for each message that had a finding, swept again: names
 * exactly which vector in which place does it. Body findings can only come from the HTML body.
 */
async function isolate(findings: Finding[]): Promise<string[]> {
	const suspects = new Map<string, Planted>();
	for (const f of findings) {
		for (const p of bySeq.get(f.seq ?? 0) ?? []) {
			if (f.where.startsWith("body") && p.placement !== "html") continue;
			suspects.set(`${p.placement}:${p.vector.id}`, p);
		}
	}
	if (suspects.size === 0) return [];
	const { result } = await round(
		[...suspects.values()].slice(0, 300).map((p) => [p]),
		{ settleMs: 200 },
	);
	return result.findings.map(describeFinding);
}

describe("XSS vectors in every part of a message", () => {
	it("run no script, navigate nowhere and reach no remote host", { timeout: FULL ? 6 * 3600_000 : 300_000 }, async () => {
		const started = Date.now();
		const vectors = loadVectors(FULL);
		const groups = plan(vectors, [h5scPage()]);
		const first = await round(groups, { list: true, lanes: 2, browseAttachmentsEvery: FULL ? 25 : 1 });

		// A body the server cannot render (HTTP 500) hides every vector batched with the culprit:
		// those go again one per message, so only the culprits stay unexercised.
		const unreadableGroups = first.result.unreadable.map((u) => bySeq.get(u.seq) ?? []).filter((g) => g.length > 1);
		const second = unreadableGroups.length
			? await round(
					unreadableGroups.flatMap((g) => g.map((p) => [p])),
					{ browseAttachmentsEvery: FULL ? 25 : 1 },
				)
			: null;
		const rounds = second ? [first, second] : [first];
		const findings = rounds.flatMap((r) => r.result.findings);
		const refused: Refused[] = rounds.flatMap((r) => r.delivery.refused);
		const unreadable = rounds.flatMap((r) => r.result.unreadable).filter((u) => (bySeq.get(u.seq) ?? []).length === 1);
		const csp = rounds.flatMap((r) => r.result.cspBlocked);
		const count = (kind: Finding["kind"]) => findings.filter((f) => f.kind === kind).length;
		const sum = (f: (r: (typeof rounds)[number]) => number) => rounds.reduce((n, r) => n + f(r), 0);

		log(
			[
				`${FULL ? "full" : "sample"}: ${vectors.length} vectors + the H5SC page`,
				`tried per placement: ${placementCounts(groups, refused)}`,
				`messages ${sum((r) => r.delivery.delivered.length)} (sent ${sum((r) => r.delivery.sent)}, ${sum((r) => r.result.unparsed)} stored unparsed), list rows ${first.result.listRows}`,
				`undeliverable ${refused.length}, unreadable (server error) ${unreadable.length}`,
				`executions ${count("execution")}, navigations ${count("navigation")}, remote requests ${count("remote")}`,
				`live DOM ${count("live-dom")}, sanitizer leaks ${count("sanitizer")}, bad attachment headers ${count("attachment")}`,
				`CSP-blocked ${csp.length} (in the app ${csp.filter((f) => f.where === "app").length})`,
				`${((Date.now() - started) / 1000).toFixed(0)} s`,
			].join("; "),
		);
		for (const r of refused.slice(0, 20)) log(`undeliverable: ${r.planted.placement}:${r.planted.vector.id}: ${r.reason}`);
		for (const u of unreadable.slice(0, 20)) log(`unreadable: ${label(bySeq.get(u.seq) ?? [])}: ${u.detail}`);
		// Not failures (the policy held), but each is something that got past the sanitiser or the app.
		for (const f of csp.slice(0, 20)) log(`CSP blocked: ${describeFinding(f)}`);
		const described = findings.map(describeFinding);
		for (const line of described.slice(0, 50)) log(`FINDING ${line}`);
		const isolated = findings.length ? await isolate(findings) : [];
		for (const line of isolated) log(`ISOLATED ${line}`);

		expect(first.result.viewed).toBe(first.delivery.delivered.length);
		// Guards against a sweep that passes because nothing could be opened.
		expect(unreadable.length).toBeLessThan(vectors.length / 20);
		expect(described, `isolated: ${isolated.join("\n")}`).toEqual([]);
	});
});
