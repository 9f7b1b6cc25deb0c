import type { Db } from "../db/client";
import type { SessionPrincipal } from "../db/sessions";
import type { Clock } from "../lib/clock";

export interface AppEnv {
	Bindings: Env;
	Variables: {
		db: Db;
		clock: Clock;
		principal: SessionPrincipal;
	};
}
