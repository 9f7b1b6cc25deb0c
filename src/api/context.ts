import type { Db } from "../db/client";
import type { SessionPrincipal } from "../db/sessions";
import type { Clock } from "../lib/clock";

/** Whose Emergency Inbox a request works on: the signed-in user's, or the one an admin views. */
export interface Mailbox {
	userId: string;
	email: string;
	displayName: string;
	customerId: string | null;
}

export interface AppEnv {
	Bindings: Env;
	Variables: {
		db: Db;
		clock: Clock;
		principal: SessionPrincipal;
		mailbox: Mailbox;
		/** Administration routes: the company acted on (see middleware/customer-scope). */
		customerId: string;
		/** True when a partner admin acts for one of its customers: settings, never mail. */
		onBehalf: boolean;
	};
}
