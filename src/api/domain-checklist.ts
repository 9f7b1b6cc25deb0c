// The setup checklist of a domain, from facts gathered elsewhere (DNS answers, the domain's
// row, its health, its last events). Pure: no I/O, so every wording and state is unit-tested.
// Each item says what was found, not only whether it passed: an admin fixing DNS needs to see
// what the world sees.
import type { DomainRow } from "../db/domains";
import type { Lookup } from "../lib/dns";
import { checkDestination } from "../relay/destination";
import type { ChecklistItem } from "./domain-types";
import { verificationRecordName, verificationRecordValue } from "./domain-verification";

/** A DNS answer, or why there is none (the resolver failed: "we could not check"). */
export type Checked = { lookup: Lookup } | { error: string };

export interface ChecklistFacts {
	domain: DomainRow;
	environment: string;
	/** TXT at the verification name; absent once verified (no need to ask). */
	txt?: Checked;
	mx: Checked;
	health: { state: "up" | "down"; lastError: string | null };
	/** The newest message.received event: proof that Email Routing hands mail to us. */
	lastReceivedAt: number | null;
	/** The newest "Test connection" (domain.tested event). */
	lastTest: { at: number; host: string; port: number; ok: boolean; code: number; text: string } | null;
	lastDeliveredAt: number | null;
}

/** Cloudflare Email Routing's MX hosts: route1/2/3.mx.cloudflare.net (and regional variants). */
const CLOUDFLARE_MX = /\.mx\.cloudflare\.net$/;

export const PORT_HELP = [
	"Cloudflare Workers cannot connect to port 25: open another port for us on your server — 2525, or 587 with AUTH and TLS required.",
	"Postfix: add “2525 inet n - y - - smtpd” to master.cf and reload Postfix.",
	"Exchange: create a receive connector on port 2525 that accepts mail for your domain.",
];

const when = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace("T", " ")} UTC`;

const found = (lookup: Lookup) =>
	lookup.status === "nxdomain"
		? `${lookup.name} does not exist in DNS (NXDOMAIN)`
		: lookup.status === "nodata"
			? `${lookup.name} has no ${lookup.type} records`
			: `${lookup.name} has ${lookup.records.map((r) => JSON.stringify(r)).join(", ")}`;

/** "10 route1.mx.cloudflare.net." → { preference: 10, host: "route1.mx.cloudflare.net" } */
export function parseMx(record: string): { preference: number; host: string } {
	const [pref = "", host = ""] = record.trim().split(/\s+/);
	return { preference: Number(pref), host: host.replace(/\.$/, "").toLowerCase() };
}

function ownership(f: ChecklistFacts): ChecklistItem {
	const d = f.domain;
	const name = verificationRecordName(d.name);
	const value = d.verificationToken ? verificationRecordValue(d.verificationToken) : "(press “Verify now” to get the value)";
	const title = "Prove you own the domain (DNS TXT record)";
	const steps = [
		"At your DNS provider, add a TXT record to the domain.",
		`Name: ${name} (some providers want only “_emergency-inbox”, and add the domain themselves).`,
		`Value: ${value}`,
		"Save, wait until it is published, then press “Verify now”.",
	];
	if (d.verifiedAt !== null)
		return { id: "ownership", title, state: "done", detail: `Verified on ${when(d.verifiedAt)}: ${name} held the value we gave you.` };
	const txt = f.txt;
	if (!txt || "error" in txt)
		return { id: "ownership", title, state: "unknown", detail: `Could not check: ${txt?.error ?? "not looked up"}.`, steps };
	if (txt.lookup.records.includes(value))
		return { id: "ownership", title, state: "todo", detail: `The record is published (${name}). Press “Verify now” to finish.`, steps };
	return {
		id: "ownership",
		title,
		state: "todo",
		detail: `Until it is verified, mail for ${d.displayName} is refused for now (senders retry later). Publish a TXT record ${name} with the value ${value}. Now ${found(txt.lookup)}.`,
		steps,
	};
}

function mx(f: ChecklistFacts): ChecklistItem {
	const title = "Point MX at Cloudflare Email Routing";
	const steps = [
		"In the Cloudflare dashboard, open the domain, then Email → Email Routing, and enable it.",
		"Let Cloudflare add its MX records (route1, route2 and route3.mx.cloudflare.net) and remove any other MX records.",
	];
	if ("error" in f.mx) return { id: "mx", title, state: "unknown", detail: `Could not check: ${f.mx.error}.`, steps };
	const lookup = f.mx.lookup;
	if (lookup.status !== "found")
		return {
			id: "mx",
			title,
			state: "todo",
			detail: `No MX records yet: ${found(lookup)}. Mail for the domain cannot reach Email Routing.`,
			steps,
		};
	const hosts = lookup.records.map(parseMx).sort((a, b) => a.preference - b.preference);
	const list = hosts.map((h) => `${h.host} (${h.preference})`).join(", ");
	const others = hosts.filter((h) => !CLOUDFLARE_MX.test(h.host));
	if (others.length === 0) return { id: "mx", title, state: "done", detail: `MX points to Cloudflare Email Routing: ${list}.` };
	if (others.length < hosts.length)
		return {
			id: "mx",
			title,
			state: "todo",
			detail: `MX lists Cloudflare Email Routing and other servers: ${list}. Senders may pick any of them, and mail to ${others.map((h) => h.host).join(", ")} never reaches Emergency Inbox: remove those.`,
			steps,
		};
	return {
		id: "mx",
		title,
		state: "todo",
		detail: `MX points elsewhere: ${list}. Mail goes straight to those servers, not through us.`,
		steps,
	};
}

function routing(f: ChecklistFacts): ChecklistItem {
	const title = "Send all addresses to the Emergency Inbox worker (catch-all rule)";
	const steps = [
		"In the Cloudflare dashboard, open the domain, then Email → Email Routing → Routing rules.",
		"Edit the Catch-all address: action “Send to a Worker”, destination the Emergency Inbox worker (emergency-inbox).",
		"Enable the catch-all rule and save.",
		"Send a test message to any address at the domain: it shows under Activity as “Message received”.",
	];
	if (f.lastReceivedAt !== null)
		return {
			id: "routing",
			title,
			state: "done",
			detail: `Mail for ${f.domain.displayName} reached us on ${when(f.lastReceivedAt)}: the routing rule works.`,
		};
	return {
		id: "routing",
		title,
		state: "unknown",
		detail:
			"This cannot be checked from DNS: the rule lives in your Cloudflare account. It shows as done once the first message has arrived.",
		steps,
	};
}

function destination(f: ChecklistFacts): ChecklistItem {
	const d = f.domain;
	const title = "Set the delivery destination (your mail server, not port 25)";
	if (!d.deliveryHost || !d.deliveryPort)
		return {
			id: "destination",
			title,
			state: "todo",
			detail: "No delivery destination: mail is held here until you set one under Delivery destination.",
			steps: PORT_HELP,
		};
	const refused = checkDestination({ host: d.deliveryHost, port: d.deliveryPort }, f.environment);
	if (refused)
		return {
			id: "destination",
			title,
			state: "todo",
			detail: `${d.deliveryHost}:${d.deliveryPort} cannot be used: ${refused}`,
			steps: PORT_HELP,
		};
	return { id: "destination", title, state: "done", detail: `Mail goes to ${d.deliveryHost}:${d.deliveryPort} (TLS ${d.deliveryTls}).` };
}

function connection(f: ChecklistFacts): ChecklistItem {
	const d = f.domain;
	const title = "Your server answers us (connection test)";
	if (!d.deliveryHost || !d.deliveryPort)
		return { id: "connection", title, state: "todo", detail: "Set the delivery destination first, then press “Test connection”." };
	if (d.held) return { id: "connection", title, state: "todo", detail: "Delivery is on hold: mail is kept here until you release it." };
	if (f.health.state === "down")
		return {
			id: "connection",
			title,
			state: "todo",
			detail: `Your server is unreachable${f.health.lastError ? `: ${f.health.lastError}` : ""}. Fix it, then press “Test connection” and “Retry now”.`,
		};
	const test = f.lastTest && f.lastTest.host === d.deliveryHost && f.lastTest.port === d.deliveryPort ? f.lastTest : null;
	const reply = test ? [test.code || "", test.text].filter(Boolean).join(" ") : "";
	if (test?.ok) return { id: "connection", title, state: "done", detail: `Connection test passed on ${when(test.at)}: ${reply}.` };
	if (test) return { id: "connection", title, state: "todo", detail: `The last connection test, on ${when(test.at)}, failed: ${reply}.` };
	if (f.lastDeliveredAt !== null)
		return { id: "connection", title, state: "done", detail: `Mail was delivered to your server on ${when(f.lastDeliveredAt)}.` };
	return { id: "connection", title, state: "todo", detail: "Not tested yet: press “Test connection” under Delivery destination." };
}

export function buildChecklist(facts: ChecklistFacts): ChecklistItem[] {
	return [ownership(facts), mx(facts), routing(facts), destination(facts), connection(facts)];
}
