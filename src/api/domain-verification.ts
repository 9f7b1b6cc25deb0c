// How a company proves it owns a domain: a TXT record at a fixed name under the domain that
// holds a random value we gave it. Only someone who runs the domain's DNS can publish it, so a
// domain added by anyone else stays unverified and its mail is deferred, never captured.
import type { DomainRow } from "../db/domains";
import { randomToken } from "../lib/bytes";
import type { DomainVerification } from "./domain-types";

/** The label under the domain; a leading underscore keeps it clear of host names (RFC 8552). */
export const VERIFICATION_LABEL = "_emergency-inbox";

export const verificationRecordName = (domain: string) => `${VERIFICATION_LABEL}.${domain}`;

export const verificationRecordValue = (token: string) => `emergency-inbox-verification=${token}`;

/** 144 random bits, base64url: unguessable, and plain ASCII for any DNS provider's form. */
export const newVerificationToken = () => randomToken(18);

export function verificationView(d: Pick<DomainRow, "name" | "verifiedAt" | "verificationToken">): DomainVerification {
	return {
		verified: d.verifiedAt !== null,
		verifiedAt: d.verifiedAt !== null ? new Date(d.verifiedAt).toISOString() : null,
		recordName: verificationRecordName(d.name),
		recordValue: d.verificationToken ? verificationRecordValue(d.verificationToken) : null,
	};
}
