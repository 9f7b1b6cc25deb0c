// Delivering the XSS sweep's messages to alice's held mail through wrangler's local Email
// Routing endpoint, and finding our id for each once the delivery engine has held it.
import { DEMO_PASSWORD } from "../../scripts/lib/demo-tenant";
import type { MessageDetail, MessagePage } from "../../src/api/types";
import { buildMessage, PLACEMENTS, type Planted } from "./xss-messages";

export interface Delivered {
	seq: number;
	planted: Planted[];
}

export interface Refused {
	planted: Planted;
	reason: string;
}

/**
 * Sends every group through wrangler's local Email Routing endpoint. It refuses messages its
 * own parser cannot read; a refused group is split into one message per vector and placement,
 * so only what is really undeliverable is lost (and reported, not failed: it never reaches us).
 */
export async function deliverAll(baseUrl: string, run: string, groups: Planted[][], firstSeq = 1) {
	const queue = [...groups];
	const delivered: Delivered[] = [];
	const refused: Refused[] = [];
	let seq = firstSeq;
	let sent = 0;
	const url = `${baseUrl}/cdn-cgi/handler/email?from=mallory%40example.org&to=alice%40acme.test&format=json`;
	async function worker() {
		for (let group = queue.shift(); group; group = queue.shift()) {
			const n = seq++;
			sent++;
			const res = await fetch(url, { method: "POST", body: buildMessage(run, n, group) });
			const answer = await res.text();
			let verdict: { outcome?: string; rejectReason?: string } = {};
			try {
				verdict = JSON.parse(answer);
			} catch {}
			if (res.status === 200 && verdict.outcome === "ok" && !verdict.rejectReason) delivered.push({ seq: n, planted: group });
			else if (group.length > 1) queue.push(...group.map((p) => [p]));
			else
				refused.push({
					planted: group[0] as Planted,
					reason: `${res.status} ${verdict.rejectReason ?? answer.replace(/\s+/g, " ").slice(0, 120)}`,
				});
		}
	}
	// A few in flight: the endpoint is a local workerd, and the sweep's time is mostly the browser's.
	await Promise.all(Array.from({ length: 4 }, worker));
	return { delivered, refused, sent, nextSeq: seq };
}

export async function signInApi(baseUrl: string): Promise<string> {
	const res = await fetch(`${baseUrl}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: "alice@acme.test", password: DEMO_PASSWORD }),
	});
	if (res.status !== 200) throw new Error(`sign-in answered ${res.status}`);
	return (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

/**
 * Our message id for each delivered seq, once the delivery engine has held it (acme.test is
 * down). Matched by the tag at the start of the snippet, or by Message-ID for mail whose text
 * did not parse.
 */
export async function waitForHeld(
	baseUrl: string,
	cookie: string,
	run: string,
	seqs: number[],
	timeoutMs: number,
): Promise<Map<number, string>> {
	const found = new Map<number, string>();
	const known = new Set<string>();
	const want = new Set(seqs);
	const tag = new RegExp(`\\[xss:${run}:(\\d+)\\]`);
	const deadline = Date.now() + timeoutMs;
	const get = async <T>(path: string) => {
		const res = await fetch(`${baseUrl}${path}`, { headers: { Cookie: cookie } });
		if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
		return (await res.json()) as T;
	};
	while ([...want].some((s) => !found.has(s))) {
		if (Date.now() > deadline) throw new Error(`held ${found.size} of ${want.size} messages in ${timeoutMs} ms`);
		let cursor: string | null = null;
		do {
			const page: MessagePage = await get<MessagePage>(`/api/mailbox/messages?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
			for (const m of page.messages) {
				if (known.has(m.id)) continue;
				let seq = Number(tag.exec(m.snippet)?.[1] ?? tag.exec(m.subject)?.[1] ?? Number.NaN);
				if (Number.isNaN(seq)) {
					const detail = await get<MessageDetail>(`/api/mailbox/messages/${m.id}`);
					seq = Number(new RegExp(`^Message-ID: <xss-${run}-(\\d+)@`, "im").exec(detail.rawHeaders)?.[1] ?? Number.NaN);
				}
				known.add(m.id);
				if (want.has(seq)) found.set(seq, m.id);
			}
			cursor = page.nextCursor;
		} while (cursor);
		if ([...want].some((s) => !found.has(s))) await new Promise((r) => setTimeout(r, 500));
	}
	return found;
}

/** `placement: tried (undeliverable)` for each placement. */
export function placementCounts(planned: Planted[][], refused: Refused[]): string {
	return PLACEMENTS.map((p) => {
		const tried = planned.flat().filter((x) => x.placement === p).length;
		const lost = refused.filter((r) => r.planted.placement === p).length;
		return `${p} ${tried}${lost ? ` (${lost} undeliverable)` : ""}`;
	}).join(", ");
}
