import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { openDb } from "../db/client";
import type { Clock } from "../lib/clock";
import { adminRoutes } from "./admin";
import { companyRoutes } from "./admin-company";
import { discoveryRoutes } from "./admin-discovery";
import { domainSetupRoutes } from "./admin-domain-setup";
import { groupRoutes } from "./admin-groups";
import { adminUserRoutes } from "./admin-users";
import { composeRoutes } from "./compose";
import type { AppEnv } from "./context";
import { fileRoutes } from "./files";
import { mailboxRoutes } from "./mailbox";
import { csrf } from "./middleware/csrf";
import { adminScope } from "./middleware/customer-scope";
import { mailboxScope } from "./middleware/mailbox-scope";
import { securityHeaders } from "./middleware/security-headers";
import { requireSession } from "./middleware/session";
import { operatorRoutes } from "./operator";
import { partnerRoutes } from "./partner";
import { problemResponse } from "./problem";
import { reportRoutes } from "./reports";
import { accountRoutes, secondFactorSessionRoutes } from "./second-factor";
import { sessionRoutes } from "./session";
import { setPasswordRoutes } from "./set-password";

/** Every /api/admin route: one session check and one decision on the company acted on. */
const adminApp = new Hono<AppEnv>()
	.use(requireSession(), adminScope())
	.route("/", adminRoutes)
	.route("/", domainSetupRoutes)
	.route("/", adminUserRoutes)
	.route("/", companyRoutes)
	.route("/", groupRoutes)
	.route("/", discoveryRoutes)
	.route("/", reportRoutes);

/** Every /api/mailbox route: the session, and whose mailbox it works on. */
const mailboxApp = new Hono<AppEnv>().use(requireSession(), mailboxScope()).route("/", mailboxRoutes).route("/", composeRoutes);

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
		.route("/session", setPasswordRoutes)
		.route("/session", secondFactorSessionRoutes)
		.route("/account", accountRoutes)
		.route("/mailbox", mailboxApp)
		.route("/admin", adminApp)
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
