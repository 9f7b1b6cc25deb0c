// SMTP verdicts the email handler gives through setReject(). The reason starts with the
// reply code and enhanced status code (RFC 3463) so every hop can show them unchanged;
// the local SMTP ingress (scripts/smtp-ingress.ts) answers its client with exactly these.

export const reject = {
	domainNotServed: (domain: string) => `550 5.1.2 Domain ${domain} is not served here`,
	unknownUser: (address: string) => `550 5.1.1 <${address}>: no such user here`,
	badRecipient: (address: string) => `501 5.1.3 Bad recipient address syntax: ${address}`,
	tooLarge: (limit: number) => `552 5.3.4 Message size exceeds fixed limit of ${limit} bytes`,
} as const;
