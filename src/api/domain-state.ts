import type { DomainRow } from "../db/domains";
import type { DomainStatus } from "../domain/domain-relay";
import type { DomainState, DomainStorage } from "./domain-types";

/** What decides a domain's state besides its settings: from the object live, or its summary. */
export interface SpoolView {
	health: "up" | "down";
	/** Mail in the spool: waiting or in flight. */
	backlog: number;
}

/** The object's own answer, as a SpoolView. */
export function liveView(status: DomainStatus): SpoolView {
	return { health: status.health.state, backlog: status.spooled + status.inflight };
}

/**
 * What people are told about a domain, in the inbox banner and the admin pages alike: held
 * (maintenance), down (server unreachable, or no destination set: either way mail is held),
 * draining (back up, held mail still going out), up.
 */
export function domainState(domain: Pick<DomainRow, "held" | "deliveryHost">, spool: SpoolView): DomainState {
	if (domain.held) return "held";
	if (spool.health === "down" || domain.deliveryHost === null) return "down";
	return spool.backlog > 0 ? "draining" : "up";
}

/**
 * A Durable Object with SQLite storage holds at most 10 GB (Cloudflare, Durable Objects limits,
 * SQLite-backed objects on the Workers Paid plan). From 80 % the dashboards say so.
 */
export const STORAGE_LIMIT_BYTES = 10 * 1024 ** 3;
const STORAGE_WARN_AT = 0.8;

export function storageView(bytes: number): DomainStorage {
	return { bytes, limitBytes: STORAGE_LIMIT_BYTES, nearLimit: bytes >= STORAGE_LIMIT_BYTES * STORAGE_WARN_AT };
}
