// Test helpers for the delivery engine: scripted downstream servers (relay-scripted.ts), the
// outbox where DSNs arrive, and the domain's Durable Object and its clock.
import { env, runInDurableObject } from "cloudflare:test";
import { inject } from "vitest";
import { type DomainRelay, domainRelay } from "../../src/domain/domain-relay";
import type { Tenant } from "./helpers";

export { scriptedServer } from "./relay-scripted";

export interface Received {
	from: string;
	to: string[];
	raw: string;
}

/** What the outbound path delivered to `to` (DSNs to senders). */
export async function outbox(to: string): Promise<Received[]> {
	return (await (await fetch(`${inject("outboxControl")}/messages?to=${encodeURIComponent(to)}`)).json()) as Received[];
}

export function relayOf(t: Tenant) {
	return domainRelay(env, t.domain);
}

/** Points the tenant's domain at a server (and policy values) the way an admin's PATCH would. */
export async function configure(t: Tenant, set: Record<string, string | number | null>) {
	const columns = Object.keys(set)
		.map((k) => `${k} = ?`)
		.join(", ");
	await env.DB.prepare(`UPDATE domains SET ${columns} WHERE id = ?`)
		.bind(...Object.values(set), t.domainId)
		.run();
	await relayOf(t).configChanged();
}

/** Moves the domain object's clock; alarms then see this time. */
export async function setClock(t: Tenant, now: number) {
	await runInDurableObject(relayOf(t), (instance: DomainRelay) => {
		instance.clock = { now: () => now };
	});
}

export async function statusOf(id: string): Promise<{ status: string; held_at: number | null } | null> {
	return env.DB.prepare("SELECT status, held_at FROM messages WHERE id = ?").bind(id).first();
}

export async function idOf(envelopeTo: string, subject: string): Promise<string> {
	return (await env.DB.prepare("SELECT id FROM messages WHERE envelope_to = ? AND subject = ?")
		.bind(envelopeTo, subject)
		.first<string>("id")) as string;
}
