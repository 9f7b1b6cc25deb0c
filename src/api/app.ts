import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { openDb } from "../db/client";
import type { Clock } from "../lib/clock";
import { adminRoutes } from "./admin";
import { companyRoutes } from "./admin-company";
import { composeRoutes } from "./compose";
import type { AppEnv } from "./context";
import { fileRoutes } from "./files";
import { mailboxRoutes } from "./mailbox";
import { csrf } from "./middleware/csrf";
import { securityHeaders } from "./middleware/security-headers";
import { operatorRoutes } from "./operator";
import { partnerRoutes } from "./partner";
import { problemResponse } from "./problem";
import { sessionRoutes } from "./session";

export function createApp(clock: Clock) {
	return new Hono<AppEnv>()
		.basePath("/api")
		.use(securityHeaders())
		.use(async function context(c, next) {
			c.set("db", openDb(c.env.DB));
			c.set("clock", clock);
			await next();
		})
		.use(csrf())
		.route("/session", sessionRoutes)
		.route("/mailbox", mailboxRoutes)
		.route("/mailbox", composeRoutes)
		.route("/admin", adminRoutes)
		.route("/admin", companyRoutes)
		.route("/files", fileRoutes)
		.route("/partner", partnerRoutes)
		.route("/operator", operatorRoutes)
		.notFound(() => problemResponse(404, "Not found", "No such API route."))
		.onError((err, c) => {
			if (err instanceof HTTPException) return err.getResponse();
			console.error("unhandled API error", c.req.method, c.req.path, err);
			return problemResponse(500, "Internal error", "Something failed on our side; it has been logged. Try again.");
		});
}

export type AppType = ReturnType<typeof createApp>;
