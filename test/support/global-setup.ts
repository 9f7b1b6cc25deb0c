// vitest globalSetup for the worker project. Runs in Node, outside workerd, and starts the
// servers worker tests reach over loopback: the scripted SMTP control server (each test makes
// its own customer mail server through it), the outbox (where DSNs arrive) and the fake DNS
// resolver (where tests publish TXT and MX records).
import type { TestProject } from "vitest/node";
import { startFakeDoh } from "../../scripts/lib/fake-doh";
import { startOutbox } from "./outbox";
import { startControlServer } from "./scripted-smtp";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const control = await startControlServer();
	project.provide("smtpControl", control.url);
	// vitest.config.ts chose this port and gave it to the worker as OUTBOUND_SMTP.
	const outbox = await startOutbox(Number(process.env.EI_TEST_OUTBOX_PORT));
	project.provide("outboxControl", outbox.controlUrl);
	// The worker's DOH_URL (vitest.config.ts) points here; tests publish records through its control API.
	const doh = await startFakeDoh({ port: Number(process.env.EI_TEST_DOH_PORT) });
	project.provide("dohControl", doh.controlUrl);
	return async () => {
		await control.close();
		await doh.close();
		await outbox.smtp.close();
		await new Promise<void>((r) => outbox.http.close(() => r()));
	};
}
