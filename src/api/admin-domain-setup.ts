// Company settings → Domains: adding a domain, proving it is ours over DNS (a TXT record read
// through DNS-over-HTTPS), the setup checklist with live checks, and removing a domain that
// has carried no mail. Scoped by c.var.customerId like every admin route; another company's
// domain answers 404, exactly like one that does not exist.

import { Hono } from "hono";
import { findCustomerDomain } from "../db/admin-domains";
import type { Db } from "../db/client";
import {
	addressesAt,
	deleteDomainWithoutMail,
	domainMailCounts,
	ensureVerificationToken,
	lastDomainEvent,
	markVerified,
} from "../db/domain-setup";
import { type DomainRow, findDomainByName } from "../db/domains";
import { appendEvent, event } from "../db/events";
import { domains } from "../db/schema";
import { domainRelay } from "../domain/domain-relay";
import { DnsError, type Lookup, resolverFor } from "../lib/dns";
import { newId } from "../lib/ids";
import { parseDomainName } from "../mail/domain-name";
import { domainView } from "./admin";
import { audit } from "./audit";
import type { AppEnv } from "./context";
import { buildChecklist, type Checked } from "./domain-checklist";
import type { DomainChecklist, SetupDomain } from "./domain-types";
import { newVerificationToken, verificationRecordName, verificationRecordValue } from "./domain-verification";
import { problem } from "./problem";

const setupView = (d: DomainRow): SetupDomain => ({ id: d.id, name: d.name, displayName: d.displayName, ...domainView(d) });

/** A resolver failure as the API's answer: 503 when it could not be reached, 502 when it answered badly. */
function dnsProblem(err: DnsError, what: string) {
	return problem(
		err.kind === "resolver" ? 502 : 503,
		"DNS lookup failed",
		`We could not look up ${what}: ${err.message}. Nothing was changed; try again in a minute.`,
	);
}

async function checked(lookup: Promise<Lookup>): Promise<Checked> {
	try {
		return { lookup: await lookup };
	} catch (err) {
		if (err instanceof DnsError) return { error: err.message };
		throw err;
	}
}

const detailOf = (e: { detail: string } | undefined) => (e ? (JSON.parse(e.detail) as Record<string, unknown>) : null);

/**
 * An unverified domain holds its name for CLAIM_LAPSE_DAYS: after that, when another company
 * adds the name and no mail and no address depends on the old claim, the claim lapses (it is
 * removed, and its company's log says so). Without this, anyone could add a domain they do
 * not own and keep its real owner out for good. True when the name is free now.
 */
const CLAIM_LAPSE_DAYS = 7;

async function lapseStaleClaim(db: Db, claim: DomainRow, customerId: string, now: number): Promise<boolean> {
	if (claim.customerId === customerId || claim.verifiedAt !== null || now - claim.createdAt < CLAIM_LAPSE_DAYS * 86_400_000) return false;
	if ((await addressesAt(db, claim.customerId, claim.name)).length > 0) return false;
	if (!(await deleteDomainWithoutMail(db, claim.customerId, claim.id))) return false;
	await appendEvent(
		db,
		event(now, {
			customerId: claim.customerId,
			domainId: claim.id,
			kind: "domain.claim_lapsed",
			detail: {
				name: claim.name,
				displayName: claim.displayName,
				reason: `not verified within ${CLAIM_LAPSE_DAYS} days; another company added it`,
			},
		}),
	);
	return true;
}

export const domainSetupRoutes = new Hono<AppEnv>()
	.post("/domains", async (c) => {
		const body = (await c.req.json().catch(() => null)) as { name?: unknown } | null;
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send {name}, the domain to add.");
		const parsed = typeof body.name === "string" ? parseDomainName(body.name) : null;
		if (!parsed)
			throw problem(
				422,
				"Invalid domain",
				"name must be a domain name such as example.com (letters, digits and hyphens; Unicode is fine).",
			);
		const db = c.var.db;
		const customerId = c.var.customerId;
		const taken = (existing: DomainRow) =>
			problem(
				409,
				"Domain already served",
				existing.customerId === customerId
					? `${parsed.display} is already one of your domains.`
					: existing.verifiedAt === null
						? `${parsed.display} has been added by another company but not verified. An unverified claim lapses ${CLAIM_LAPSE_DAYS} days after it was made (if no mail and no addresses depend on it); add it again then, or contact us.`
						: `${parsed.display} is already set up here by another company. If it is yours, contact us: we check who publishes its DNS.`,
			);
		const now = c.var.clock.now();
		const existing = await findDomainByName(db, parsed.ascii);
		if (existing && !(await lapseStaleClaim(db, existing, customerId, now))) throw taken(existing);
		const id = newId(now);
		try {
			await db.insert(domains).values({
				id,
				customerId,
				name: parsed.ascii,
				displayName: parsed.display,
				verificationToken: newVerificationToken(),
				createdAt: now,
			});
		} catch (err) {
			// Two admins adding the same name at once: the unique index decides, the loser hears why.
			const winner = await findDomainByName(db, parsed.ascii);
			if (winner) throw taken(winner);
			throw err;
		}
		await audit(c, { customerId, domainId: id, kind: "domain.added", detail: { name: parsed.ascii, displayName: parsed.display } }, now);
		const row = (await findCustomerDomain(db, customerId, id)) as DomainRow;
		return c.json<SetupDomain>(setupView(row), 201);
	})
	.post("/domains/:id/verify", async (c) => {
		const db = c.var.db;
		const customerId = c.var.customerId;
		const found = await findCustomerDomain(db, customerId, c.req.param("id"));
		if (!found) throw problem(404, "Domain not found");
		// Once verified it stays verified: asking again neither looks DNS up nor records anything.
		if (found.verifiedAt !== null) return c.json<SetupDomain>(setupView(found));
		const domain = await ensureVerificationToken(db, customerId, found, newVerificationToken());
		const name = verificationRecordName(domain.name);
		const expected = verificationRecordValue(domain.verificationToken as string);
		let lookup: Lookup;
		try {
			lookup = await resolverFor(c.env)(name, "TXT");
		} catch (err) {
			if (err instanceof DnsError) throw dnsProblem(err, `the TXT record ${name}`);
			throw err;
		}
		if (!lookup.records.includes(expected)) {
			const now =
				lookup.status === "nxdomain"
					? `${name} does not exist in DNS (NXDOMAIN)`
					: lookup.status === "nodata"
						? `${name} exists but has no TXT records`
						: `${name} has ${lookup.records.map((r) => JSON.stringify(r)).join(", ")}`;
			throw problem(
				409,
				"Domain not verified",
				`Expected a TXT record ${name} with the value "${expected}", but ${now}. If you have just published it, DNS may take a few minutes to show it: try again.`,
			);
		}
		const now = c.var.clock.now();
		if (await markVerified(db, customerId, domain.id, now)) {
			await audit(c, { customerId, domainId: domain.id, kind: "domain.verified", detail: { name: domain.name, record: name } }, now);
		}
		return c.json<SetupDomain>(setupView((await findCustomerDomain(db, customerId, domain.id)) as DomainRow));
	})
	.get("/domains/:id/checklist", async (c) => {
		const db = c.var.db;
		const customerId = c.var.customerId;
		const found = await findCustomerDomain(db, customerId, c.req.param("id"));
		if (!found) throw problem(404, "Domain not found");
		const domain = found;
		const resolve = resolverFor(c.env);
		const [txt, mx, status, received, tested, delivered] = await Promise.all([
			domain.verifiedAt === null ? checked(resolve(verificationRecordName(domain.name), "TXT")) : undefined,
			checked(resolve(domain.name, "MX")),
			domainRelay(c.env, domain.name).status(),
			lastDomainEvent(db, customerId, domain.id, ["message.received"]),
			lastDomainEvent(db, customerId, domain.id, ["domain.tested"]),
			lastDomainEvent(db, customerId, domain.id, ["delivery.delivered"]),
		]);
		const test = detailOf(tested);
		const items = buildChecklist({
			domain,
			environment: c.env.ENVIRONMENT,
			...(txt ? { txt } : {}),
			mx,
			health: { state: status.health.state, lastError: status.health.lastError },
			// The domain object's delivery log; the audit log's events for mail from before it kept one.
			lastReceivedAt: status.lastReceivedAt ?? received?.createdAt ?? null,
			lastTest:
				tested && test
					? {
							at: tested.createdAt,
							host: String(test.host ?? ""),
							port: Number(test.port ?? 0),
							ok: test.ok === true,
							code: Number(test.code ?? 0),
							text: String(test.text ?? ""),
						}
					: null,
			lastDeliveredAt: status.lastDeliveredAt ?? delivered?.createdAt ?? null,
		});
		return c.json<DomainChecklist>({ ...setupView(domain), items });
	})
	.delete("/domains/:id", async (c) => {
		const db = c.var.db;
		const customerId = c.var.customerId;
		const domain = await findCustomerDomain(db, customerId, c.req.param("id"));
		if (!domain) throw problem(404, "Domain not found");
		const mail = await domainMailCounts(db, customerId, domain.id);
		if (mail.undelivered > 0)
			throw problem(
				409,
				"Domain has undelivered mail",
				`${mail.undelivered} message${mail.undelivered === 1 ? "" : "s"} for ${domain.displayName} ${mail.undelivered === 1 ? "is" : "are"} not delivered yet (held, queued or deferred). Deliver them (set the destination, then Retry now) or bounce them first: removing the domain now would lose them.`,
			);
		if (mail.total > 0)
			throw problem(
				409,
				"Domain has mail on record",
				`${domain.displayName} has carried mail: ${mail.total} message${mail.total === 1 ? " is" : "s are"} on record (delivered, bounced or sent from the Emergency Inbox), and their records stay for the delivery log and your users' Emergency Inbox. Such a domain cannot be removed. To stop its mail coming here, point its MX elsewhere or turn off its catch-all rule in Email Routing.`,
			);
		const addresses = await addressesAt(db, customerId, domain.name);
		if (addresses.length > 0)
			throw problem(
				409,
				"Domain still has addresses",
				`Users, aliases or groups still have addresses at ${domain.displayName} (${addresses.slice(0, 3).join(", ")}${addresses.length > 3 ? ", …" : ""}). Move or delete them first.`,
			);
		if (!(await deleteDomainWithoutMail(db, customerId, domain.id)))
			throw problem(409, "Domain has mail on record", `Mail for ${domain.displayName} arrived just now; the domain was not removed.`);
		const now = c.var.clock.now();
		await audit(
			c,
			{ customerId, domainId: domain.id, kind: "domain.removed", detail: { name: domain.name, wasVerified: domain.verifiedAt !== null } },
			now,
		);
		return c.body(null, 204);
	});
