export {};

// What test/support/global-setup.ts provides to the tests.
declare module "vitest" {
	export interface ProvidedContext {
		/** Base URL of the scripted SMTP control server, e.g. "http://127.0.0.1:41234". */
		smtpControl: string;
		/** Base URL listing what arrived at the outbox (OUTBOUND_SMTP): GET /messages?to= */
		outboxControl: string;
		/** Base URL of the fake DoH resolver's control API (scripts/lib/fake-doh.ts): PUT /records, PUT /failures. */
		dohControl: string;
	}
}
