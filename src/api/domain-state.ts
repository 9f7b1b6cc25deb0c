import type { DomainRow } from "../db/domains";
import type { DomainStatus } from "../domain/domain-relay";
import type { DomainState } from "./domain-types";

/**
 * What people are told about a domain, in the inbox banner and the admin pages alike: held
 * (maintenance), down (server unreachable, or no destination set: either way mail is held),
 * draining (back up, held mail still going out), up.
 */
export function domainState(domain: DomainRow, status: DomainStatus): DomainState {
	if (domain.held) return "held";
	if (status.health.state === "down" || domain.deliveryHost === null) return "down";
	return status.spooled + status.inflight > 0 ? "draining" : "up";
}
