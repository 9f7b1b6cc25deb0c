// The layer rules in biome.json, checked against probe files: an import that points back up
// (storage → API, relay → storage, lib → anything of ours, the SPA → worker code) must fail
// `npm run lint`, and the ones the layering allows must pass. The probes live in a scratch
// copy of the tree's layout with the project's own biome.json, so the real tree is untouched.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const BIOME = join(ROOT, "node_modules/.bin/biome");

/** [file the import is written in, module it imports, allowed by the layering?] */
const CASES: [string, string, boolean][] = [
	["src/db/probe.ts", "../api/types", false],
	["src/db/probe.ts", "../domain/schedule", false],
	["src/db/probe.ts", "../relay/types", true],
	["src/bodies/probe.ts", "../api/types", false],
	["src/bodies/probe.ts", "../db/schema", true],
	["src/relay/probe.ts", "../db/schema", false],
	["src/relay/probe.ts", "../lib/ascii", true],
	["src/bounce/probe.ts", "../api/problem", false],
	["src/mail/probe.ts", "../queue/messages", false],
	["src/lib/probe.ts", "../mail/address", false],
	["src/lib/probe.ts", "./ids", true],
	["src/domain/probe.ts", "../api/types", false],
	["src/queue/probe.ts", "../index", false],
	["src/ingest/probe.ts", "../db/messages", true],
	["src/api/probe.ts", "../domain/schedule", true],
	["web/src/probe.ts", "../../src/api/types", true],
	["web/src/admin/probe.ts", "../../../src/api/domain-types", true],
	["web/src/probe.ts", "../../src/db/schema", false],
	["web/src/probe.ts", "../../src/api/problem", false],
];

let scratch: string;

beforeAll(() => {
	scratch = mkdtempSync(join(tmpdir(), "ei-layers-"));
	const config = JSON.parse(readFileSync(join(ROOT, "biome.json"), "utf8"));
	// The scratch folder is no git checkout, and the schema path is the tree's own.
	delete config.vcs;
	delete config.$schema;
	writeFileSync(join(scratch, "biome.json"), JSON.stringify(config));
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The rules Biome names for one probe file that imports `from`. */
function findings(file: string, from: string): string[] {
	const path = join(scratch, file);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, `import type { Probe } from "${from}";\n\nexport type Seen = Probe;\n`);
	let out: string;
	try {
		out = execFileSync(BIOME, ["lint", "--reporter=json", file], { cwd: scratch, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
	} catch (err) {
		out = (err as { stdout: string }).stdout;
	} finally {
		rmSync(path);
	}
	const report = JSON.parse(out) as { diagnostics: { category: string }[] };
	return report.diagnostics.map((d) => d.category);
}

describe("layers point one way (biome.json)", () => {
	for (const [file, from, allowed] of CASES) {
		it(`${file} importing ${from} is ${allowed ? "allowed" : "refused"}`, () => {
			const rules = findings(file, from);
			if (allowed) expect(rules).toEqual([]);
			else expect(rules).toContain("lint/style/noRestrictedImports");
		});
	}
});
