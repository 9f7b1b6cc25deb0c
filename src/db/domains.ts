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

/** The delivery destination with its AUTH secret opened, or null when none is configured. */
export async function destinationOf(d: DomainRow, credentialsKey: string | undefined): Promise<Destination | null> {
	if (!d.deliveryHost || !d.deliveryPort) return null;
	const dest: Destination = { host: d.deliveryHost, port: d.deliveryPort, tls: d.deliveryTls };
	if (d.deliveryAuthUser && d.deliveryAuthSecret) {
		if (!credentialsKey) throw new Error("CREDENTIALS_KEY is not configured; cannot open the delivery password");
		dest.auth = { user: d.deliveryAuthUser, pass: await open(credentialsKey, d.deliveryAuthSecret, d.id) };
	}
	return dest;
}
