// The customer's server, for the routes that talk to it now (Test connection, recipient
// discovery): the same resolve-and-check as the relay (deliveryTarget), with each reason it
// cannot be used as a problem the admin can act on.
import { type DomainRow, deliveryTarget } from "../db/domains";
import type { Destination } from "../relay/types";
import { problem } from "./problem";

/** `purpose` ends the "no destination" detail: what the server is needed for. */
export async function destinationOrProblem(domain: DomainRow, env: Env, purpose = ""): Promise<Destination> {
	const target = await deliveryTarget(domain, env);
	if (target.ok) return target.dest;
	if (target.reason === "unconfigured")
		throw problem(409, "No delivery destination", `Set the domain's delivery host and port first${purpose}.`);
	if (target.reason === "refused") throw problem(422, "Destination not allowed", target.text);
	throw problem(
		503,
		"Credentials cannot be opened",
		"The stored SMTP AUTH password cannot be decrypted: the CREDENTIALS_KEY secret is missing on this deployment or is not the key it was stored with.",
	);
}
