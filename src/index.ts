// Wiring only: each entry point hands off to the module that owns the flow.
import { createApp } from "./api/app";
import { runCron } from "./cron";
import { handleEmail } from "./ingest/receive";
import { systemClock } from "./lib/clock";
import { consumeQueue } from "./queue/consume";

export { DomainRelay } from "./domain/domain-relay";
export { MailboxIndex } from "./domain/mailbox-index";

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
		await runCron(env, systemClock);
	},
} satisfies ExportedHandler<Env>;
