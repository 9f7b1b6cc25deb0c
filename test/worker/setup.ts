import { applyD1Migrations, env } from "cloudflare:test";

// The same migrations wrangler applies (drizzle-kit output); applying is idempotent.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
