// Customer admin API for SMTP recipient discovery: ask the domain's own server, over one SMTP
// session and without ever sending DATA, which addresses it accepts (src/relay/smtp-discover.ts),
// and keep the answers so the admin can add the missing users. Bounded: at most 500 addresses
// and 60 seconds a run.
import { Hono } from "hono";
import { findCustomerDomain } from "../db/admin-domains";
import { type DiscoveryAnswer, listAnswers, ownersOf, recentUnownedRecipients, recordAnswers } from "../db/discovery";
import { newId } from "../lib/ids";
import { parseAddress } from "../mail/address";
import { discoverRecipients, discoveryOutcome } from "../relay/smtp-discover";
import { safePath } from "../relay/smtp-transaction";
import type { Outcome } from "../relay/types";
import { audit } from "./audit";
import type { AppEnv } from "./context";
import { destinationOrProblem } from "./delivery-target";
import type { DiscoveredRecipient, DiscoveryPage, DiscoveryRunResult } from "./directory-types";
import { problem } from "./problem";

/** Addresses asked in one run: five transactions of 100, a few seconds for any real server. */
export const MAX_DISCOVERY_ADDRESSES = 500;
/** The whole run, connect to QUIT: an admin waits for the answer in the browser. */
export const DISCOVERY_BUDGET_MS = 60_000;
/** A stalled step ends the run long before the RFC 5321 minutes a delivery would wait. */
const STEP_TIMEOUTS = { connect: 10_000, greeting: 30_000, command: 30_000, mail: 30_000, rcpt: 30_000 };
/** "Recent mail": what arrived in the last 30 days. */
const RECENT_MS = 30 * 86_400_000;
const PAGE = 500;

type Row = Awaited<ReturnType<typeof listAnswers>>[number];

function view(r: Row): DiscoveredRecipient {
	return {
		address: r.address,
		outcome: r.outcome,
		code: r.code,
		text: r.text,
		checkedAt: new Date(r.checkedAt).toISOString(),
		known: r.userId ? "user" : r.aliasId ? "alias" : r.groupId ? "group" : null,
	};
}

/** The reply as people quote it: "5.1.1 no such user" (the enhanced code the server gave first). */
function answerText(o: Outcome): string {
	return `${o.enhanced ?? ""} ${o.text}`.trim().slice(0, 500);
}

// Mounted beside the other /api/admin sub-apps: a path-less use() would run for all of theirs too.
export const discoveryRoutes = new Hono<AppEnv>()
	.post("/domains/:id/discover", async (c) => {
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const body = (await c.req.json().catch(() => null)) as { addresses?: unknown } | null;
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send a JSON object, {} or {addresses: [...]}.");
		const invalid = (detail: string) => problem(422, "Invalid discovery request", detail);

		let candidates: string[];
		let source: DiscoveryRunResult["source"];
		if (body.addresses !== undefined && !(Array.isArray(body.addresses) && body.addresses.length === 0)) {
			if (!Array.isArray(body.addresses)) throw invalid("addresses must be a list of email addresses.");
			if (body.addresses.length > MAX_DISCOVERY_ADDRESSES)
				throw invalid(`addresses: at most ${MAX_DISCOVERY_ADDRESSES} a run; split the list and run again.`);
			const seen = new Set<string>();
			for (const [i, raw] of body.addresses.entries()) {
				const parsed = typeof raw === "string" ? parseAddress(raw) : null;
				if (!parsed || !safePath(parsed.canonical))
					throw invalid(`addresses[${i}]: ${JSON.stringify(String(raw).slice(0, 100))} is not an email address.`);
				if (parsed.domain !== domain.name) throw invalid(`addresses[${i}]: ${parsed.canonical} is not on ${domain.displayName}.`);
				seen.add(parsed.canonical);
			}
			candidates = [...seen];
			source = "given";
		} else {
			const since = c.var.clock.now() - RECENT_MS;
			const seen = await recentUnownedRecipients(c.var.db, c.var.customerId, domain.id, since, MAX_DISCOVERY_ADDRESSES * 2);
			const mailboxes = new Set(
				seen.flatMap((a) => {
					const parsed = parseAddress(a);
					return parsed && parsed.domain === domain.name && safePath(parsed.mailbox) ? [parsed.mailbox] : [];
				}),
			);
			const owners = await ownersOf(c.var.db, c.var.customerId, [...mailboxes]);
			candidates = [...mailboxes].filter((a) => !owners.has(a)).slice(0, MAX_DISCOVERY_ADDRESSES);
			source = "recent-mail";
			if (candidates.length === 0)
				throw invalid(
					"addresses: nothing to check. No mail of the last 30 days went to an address that is not a user here; list the addresses to check.",
				);
		}

		const dest = await destinationOrProblem(domain, c.env, ": discovery asks that server");

		const run = await discoverRecipients(dest, candidates, {
			heloName: c.env.RELAY_HOSTNAME,
			timeouts: STEP_TIMEOUTS,
			budgetMs: DISCOVERY_BUDGET_MS,
		});
		const answers: DiscoveryAnswer[] = [...run.replies].map(([address, o]) => ({
			address,
			outcome: discoveryOutcome(o),
			code: o.code || null,
			text: answerText(o),
		}));
		const now = c.var.clock.now();
		await recordAnswers(c.var.db, c.var.customerId, domain.id, answers, now, () => newId(now));
		const count = (o: string) => answers.filter((a) => a.outcome === o).length;
		const summary = {
			source,
			candidates: candidates.length,
			accepted: count("accepted"),
			refused: count("refused"),
			unknown: count("unknown"),
			notAsked: candidates.length - answers.length,
		};
		const stoppedBy = run.stoppedBy ? { code: run.stoppedBy.code, text: answerText(run.stoppedBy) } : null;
		await audit(
			c,
			{
				domainId: domain.id,
				kind: "discovery.run",
				detail: { ...summary, host: dest.host, port: dest.port, ...(stoppedBy ? { stoppedBy: stoppedBy.text } : {}) },
			},
			now,
		);
		const owners = await ownersOf(
			c.var.db,
			c.var.customerId,
			answers.map((a) => a.address),
		);
		return c.json<DiscoveryRunResult>({
			...summary,
			stoppedBy,
			transcript: run.transcript,
			recipients: answers.map((a) => ({ ...a, checkedAt: new Date(now).toISOString(), known: owners.get(a.address) ?? null })),
		});
	})
	.get("/domains/:id/discovery", async (c) => {
		const domain = await findCustomerDomain(c.var.db, c.var.customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const cursor = c.req.query("cursor") ?? null;
		const rows = await listAnswers(c.var.db, c.var.customerId, domain.id, cursor, PAGE + 1);
		const page = rows.slice(0, PAGE);
		return c.json<DiscoveryPage>({
			recipients: page.map(view),
			nextCursor: rows.length > PAGE ? (page.at(-1)?.address ?? null) : null,
		});
	});
