import { eq } from "drizzle-orm";
import { open } from "../lib/secret-box";
import { checkDestination } from "../relay/destination";
import type { Destination } from "../relay/types";
import type { Db } from "./client";
import { domains } from "./schema";

export type DomainRow = typeof domains.$inferSelect;

export async function findDomainByName(db: Db, name: string): Promise<DomainRow | undefined> {
	return db.query.domains.findFirst({ where: eq(domains.name, name) });
}

async function endpoint(
	d: DomainRow,
	host: string | null,
	port: number | null,
	tls: Destination["tls"],
	authUser: string | null,
	authSecret: string | null,
	credentialsKey: string | undefined,
): Promise<Destination | null> {
	if (!host || !port) return null;
	const dest: Destination = { host, port, tls };
	if (authUser && authSecret) {
		if (!credentialsKey) throw new Error("CREDENTIALS_KEY is not configured; cannot open the stored SMTP password");
		try {
			dest.auth = { user: authUser, pass: await open(credentialsKey, authSecret, d.id) };
		} catch (err) {
			throw new Error(
				`cannot open the stored SMTP password (is CREDENTIALS_KEY the key it was stored with?): ${err instanceof Error ? err.message : String(err)}`,
			);
		}
	}
	return dest;
}

/** The delivery destination with its AUTH secret opened, or null when none is configured. */
export function destinationOf(d: DomainRow, credentialsKey: string | undefined): Promise<Destination | null> {
	return endpoint(d, d.deliveryHost, d.deliveryPort, d.deliveryTls, d.deliveryAuthUser, d.deliveryAuthSecret, credentialsKey);
}

export type DeliveryTarget =
	| { ok: true; dest: Destination }
	| {
			ok: false;
			/** unconfigured: no host or port; credentials: the AUTH secret cannot be opened; refused: checkDestination said no. */
			reason: "unconfigured" | "credentials" | "refused";
			text: string;
	  };

/**
 * Where the domain's mail goes, checked: the one path the relay probe, the delivery consumer
 * and the admin's "Test connection" take, so none of them connects where the others would not.
 */
export async function deliveryTarget(d: DomainRow, env: Pick<Env, "CREDENTIALS_KEY" | "ENVIRONMENT">): Promise<DeliveryTarget> {
	let dest: Destination | null;
	try {
		dest = await destinationOf(d, env.CREDENTIALS_KEY);
	} catch (err) {
		return { ok: false, reason: "credentials", text: err instanceof Error ? err.message : String(err) };
	}
	if (!dest) return { ok: false, reason: "unconfigured", text: "no delivery destination configured" };
	const refused = checkDestination(dest, env.ENVIRONMENT);
	return refused ? { ok: false, reason: "refused", text: refused } : { ok: true, dest };
}

/** The customer's outbound smarthost, or null: Cloudflare Email Service. */
export function smarthostOf(d: DomainRow, credentialsKey: string | undefined): Promise<Destination | null> {
	return endpoint(d, d.smarthostHost, d.smarthostPort, d.smarthostTls, d.smarthostAuthUser, d.smarthostAuthSecret, credentialsKey);
}
