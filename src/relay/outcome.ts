// Building and reading outcomes, so every layer writes them the same way.
import type { Outcome } from "./types";

/** A temporary failure no server reply produced (code 0): a local check, a lost connection, a timeout. */
export function tempfail(text: string, enhanced: string | null = null): Outcome {
	return { kind: "tempfail", code: 0, enhanced, text };
}

/** One line for logs, health and DSN Diagnostic-Code: "550 5.1.1 no such user", or the local text alone. */
export function describeOutcome(o: Outcome): string {
	return o.code ? `${o.code} ${o.enhanced ?? ""} ${o.text}`.replace(/\s+/g, " ").trim() : o.text;
}
