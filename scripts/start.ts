// npm start: the whole service locally with the demo tenant, state kept in .state/.
import { join } from "node:path";
import { DEMO_LOGINS, DEMO_PASSWORD, GLOBEX_PORT, OUTBOX_PORT } from "./lib/demo-tenant";
import { ROOT, startLocal } from "./lib/local-service";

const port = Number(process.env.PORT || 8787);
const smtpPort = Number(process.env.SMTP_PORT || 2525);
const stateDir = process.env.STATE_DIR || join(ROOT, ".state");

const service = await startLocal({
	port,
	smtpPort,
	globexPort: GLOBEX_PORT,
	outboxPort: OUTBOX_PORT,
	stateDir,
	verbose: true,
	log: (l) => console.log(l),
});

console.log(`
Emergency Inbox is running.

  Web and API   ${service.url}
  SMTP ingress  127.0.0.1:${smtpPort}   (stands in for Cloudflare Email Routing)
  globex.test   127.0.0.1:${service.globex.port}   mail server, keeps what it gets in ${service.globex.dir}
  acme.test     127.0.0.1:9      nothing listens: Acme is in an outage, its mail is held
  Outbox        127.0.0.1:${service.outbox.port}   DSNs land in ${service.outbox.dir}
  DNS           ${service.dns.url}   (DoH; records in ${join(stateDir, "dns.json")}, edit with npm run dns)
  State         ${stateDir}   (kept across restarts: it is a mail spool)

Demo logins (password: ${DEMO_PASSWORD})
${DEMO_LOGINS.map((l) => `  ${l.email.padEnd(20)} ${l.what}`).join("\n")}

Send a message:
  swaks --to alice@acme.test --server 127.0.0.1:${smtpPort}

Press Ctrl-C to stop.
`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.once(signal, () => {
		console.log("\nstopping…");
		void service.stop().then(() => process.exit(0));
	});
}
