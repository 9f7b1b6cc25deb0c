// Wiring only: each entry point hands off to the module that owns the flow.
import { createApp } from "./api/app";
import { purgeAbandonedUploads, purgeExpiredBodies } from "./bodies/retention";
import { handleEmail } from "./ingest/receive";
import { sweepUnclaimed } from "./ingest/sweep";
import { systemClock } from "./lib/clock";
import { consumeQueue } from "./queue/consume";

export { DomainRelay } from "./domain/domain-relay";

const app = createApp(systemClock);

export default {
	fetch: app.fetch,
	async email(message, env) {
		await handleEmail(message, env, systemClock);
	},
	async queue(batch, env) {
		await consumeQueue(batch, env, systemClock);
	},
	async scheduled(_controller, env) {
		await sweepUnclaimed(env, systemClock);
		await purgeExpiredBodies(env, systemClock);
		await purgeAbandonedUploads(env, systemClock);
	},
} satisfies ExportedHandler<Env>;
