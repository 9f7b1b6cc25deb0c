// npm run admin -- create-operator EMAIL [--remote]
// Bootstraps an operator account (the role that manages partners) in the local D1 that
// `npm start` uses, or with --remote in the deployed database. Prints a one-time password.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "../src/lib/password";
import { parseAddress } from "../src/mail/address";
import { ROOT } from "./lib/local-service";

const [command, email, ...flags] = process.argv.slice(2);
const usage = "usage: npm run admin -- create-operator EMAIL [--remote]";
if (command !== "create-operator" || !email) {
	console.error(usage);
	process.exit(2);
}
const address = parseAddress(email);
if (!address) {
	console.error(`"${email}" is not an email address.\n${usage}`);
	process.exit(2);
}

const password = randomBytes(18).toString("base64url");
const hash = await hashPassword(password);
const id = `op-${randomBytes(8).toString("hex")}`;
const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sql = `INSERT INTO users (id, customer_id, partner_id, email, display_name, role, password_hash, created_at)
VALUES (${q(id)}, NULL, NULL, ${q(address.canonical)}, 'Operator', 'operator', ${q(hash)}, ${Date.now()})
ON CONFLICT (email) DO UPDATE SET role = 'operator', password_hash = excluded.password_hash, disabled_at = NULL;
INSERT INTO events (id, kind, detail, created_at) VALUES (${q(`ev-${id}`)}, 'operator.created', ${q(JSON.stringify({ email: address.canonical }))}, ${Date.now()});
`;
const file = join(mkdtempSync(join(tmpdir(), "ei-admin-")), "operator.sql");
writeFileSync(file, sql);
const target = flags.includes("--remote") ? ["--remote"] : ["--local", "--persist-to", process.env.STATE_DIR || join(ROOT, ".state")];
const run = spawnSync(join(ROOT, "node_modules", ".bin", "wrangler"), ["d1", "execute", "DB", ...target, "--file", file], {
	cwd: ROOT,
	stdio: ["ignore", "pipe", "inherit"],
	env: { ...process.env, CI: "1" },
});
if (run.status !== 0) {
	console.error("wrangler d1 execute failed; is the database created and migrated? (npm start does both locally)");
	process.exit(run.status ?? 1);
}
console.log(`Operator ${address.canonical} is ready (${flags.includes("--remote") ? "deployed database" : "local database"}).`);
console.log(`One-time password: ${password}`);
console.log("Store it now in your password manager; it is not shown again.");
