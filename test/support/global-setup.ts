// vitest globalSetup for the worker project. Runs in Node, outside workerd, and starts the
// servers worker tests reach over loopback: the scripted SMTP control server (each test makes
// its own customer mail server through it) and the outbox (where DSNs arrive).
import type { TestProject } from "vitest/node";
import { startOutbox } from "./outbox";
import { startControlServer } from "./scripted-smtp";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const control = await startControlServer();
	project.provide("smtpControl", control.url);
	// vitest.config.ts chose this port and gave it to the worker as OUTBOUND_SMTP.
	const outbox = await startOutbox(Number(process.env.EI_TEST_OUTBOX_PORT));
	project.provide("outboxControl", outbox.controlUrl);
	return async () => {
		await control.close();
		await outbox.smtp.close();
		await new Promise<void>((r) => outbox.http.close(() => r()));
	};
}
