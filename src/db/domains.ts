import { eq } from "drizzle-orm";
import type { DeliveryPolicy } from "../domain/schedule";
import { open } from "../lib/secret-box";
import type { Destination } from "../relay/types";
import type { Db } from "./client";
import { domains } from "./schema";

export type DomainRow = typeof domains.$inferSelect;

export async function findDomainByName(db: Db, name: string): Promise<DomainRow | undefined> {
	return db.query.domains.findFirst({ where: eq(domains.name, name) });
}

export function policyOf(d: DomainRow): DeliveryPolicy {
	return {
		retrySchedule: JSON.parse(d.retrySchedule) as number[],
		delayWarnings: JSON.parse(d.delayWarnings) as number[],
		lifetimeSeconds: d.lifetimeSeconds,
	};
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
		dest.auth = { user: authUser, pass: await open(credentialsKey, authSecret, d.id) };
	}
	return dest;
}

/** The delivery destination with its AUTH secret opened, or null when none is configured. */
export function destinationOf(d: DomainRow, credentialsKey: string | undefined): Promise<Destination | null> {
	return endpoint(d, d.deliveryHost, d.deliveryPort, d.deliveryTls, d.deliveryAuthUser, d.deliveryAuthSecret, credentialsKey);
}

/** The customer's outbound smarthost, or null: Cloudflare Email Service. */
export function smarthostOf(d: DomainRow, credentialsKey: string | undefined): Promise<Destination | null> {
	return endpoint(d, d.smarthostHost, d.smarthostPort, d.smarthostTls, d.smarthostAuthUser, d.smarthostAuthSecret, credentialsKey);
}
