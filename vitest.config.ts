import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * `import x from "file?bytes"` yields the file as base64: workerd tests have no host file
 * system, and Vite's `?raw` decodes UTF-8, which would not keep mail fixtures byte-exact.
 */
function fixtureBytes(): Plugin {
	return {
		name: "fixture-bytes",
		enforce: "pre",
		load(id) {
			if (!id.endsWith("?bytes")) return null;
			return `export default ${JSON.stringify(readFileSync(id.slice(0, -"?bytes".length)).toString("base64"))};`;
		},
	};
}

/** A free loopback port, chosen once, for the test outbox (DSNs and outbound mail). */
async function freePort(): Promise<number> {
	return new Promise((resolve) => {
		const srv = createServer().listen(0, "127.0.0.1", () => {
			const { port } = srv.address() as { port: number };
			srv.close(() => resolve(port));
		});
	});
}
process.env.EI_TEST_OUTBOX_PORT ??= String(await freePort());
/** The same for the fake DNS-over-HTTPS resolver (scripts/lib/fake-doh.ts) the worker asks as DOH_URL. */
process.env.EI_TEST_DOH_PORT ??= String(await freePort());

export default defineConfig({
	test: {
		reporters: ["default", ["json", { outputFile: "test-results/vitest.json" }]],
		projects: [
			{
				plugins: [
					fixtureBytes(),
					cloudflareTest(async () => ({
						wrangler: { configPath: "./wrangler.toml" },
						miniflare: {
							bindings: {
								ENVIRONMENT: "test",
								// Cheap password hashing in tests only; production keeps the default (2^15).
								SCRYPT_N: "1024",
								OUTBOUND_SMTP: `127.0.0.1:${process.env.EI_TEST_OUTBOX_PORT}`,
								DOH_URL: `http://127.0.0.1:${process.env.EI_TEST_DOH_PORT}/dns-query`,
								CREDENTIALS_KEY: btoa("test-only credentials key, 32 by"),
								TEST_MIGRATIONS: await readD1Migrations("./migrations"),
							},
						},
					})),
				],
				test: {
					name: "worker",
					include: ["test/worker/**/*.test.ts"],
					setupFiles: ["./test/worker/setup.ts"],
					globalSetup: ["./test/support/global-setup.ts"],
					testTimeout: 30_000,
				},
			},
			{
				test: {
					name: "e2e",
					include: ["test/e2e/**/*.test.ts"],
					environment: "node",
					testTimeout: 60_000,
					hookTimeout: 120_000,
				},
			},
		],
	},
});
