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
	};
}
