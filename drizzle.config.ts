import { defineConfig } from "drizzle-kit";

// drizzle-kit's output directory is wrangler's migrations_dir and what the tests apply.
export default defineConfig({
	dialect: "sqlite",
	schema: "./src/db/schema.ts",
	out: "./migrations",
});
