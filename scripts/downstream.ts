// npm run downstream -- [port] [folder]: a customer mail server that keeps what it receives.
// Point a demo domain at it (PATCH /api/admin/domains/:id) to watch a recovery drain.
import { join } from "node:path";
import { startDownstream } from "./lib/downstream";
import { ROOT } from "./lib/local-service";

const port = Number(process.argv[2] || 2528);
const dir = process.argv[3] || join(ROOT, ".state", "downstream", `port-${port}`);
await startDownstream({ port, dir, name: `downstream-${port}.local`, log: (l) => console.log(l) });
console.log(`SMTP server on 127.0.0.1:${port}, keeping messages in ${dir}. Ctrl-C to stop.`);
