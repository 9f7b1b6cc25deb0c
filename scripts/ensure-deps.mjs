// prestart / pretest: install dependencies on a fresh clone, so the README's two commands
// are all a newcomer needs. Plain JavaScript: it runs before anything is installed.
import { execSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";

const [major] = process.versions.node.split(".").map(Number);
if (major < 22) {
	console.error(`Emergency Inbox needs Node.js 22 or newer (wrangler 4, vitest 5); this is ${process.version}.`);
	process.exit(1);
}
const installed = "node_modules/.package-lock.json";
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync("package-lock.json").mtimeMs) {
	console.log("Installing dependencies (npm ci)…");
	execSync("npm ci --no-audit --no-fund", { stdio: "inherit" });
}
