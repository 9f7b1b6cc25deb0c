// Company settings → Users: the company's accounts and their aliases, CSV import and welcome
// mail. Every query is scoped by the company acted on (c.var.customerId): another company's
// user answers 404 like one that does not exist. Rules that keep a company administrable: an
// admin cannot disable, demote or delete themselves, and the last enabled admin stays. A change
// of rights (role, disabled) and deletion end the user's sessions in the same batch.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import {
	anotherAdminRemains,
	companyDomains,
	findCompanyUser,
	findCompanyUserDetail,
	listUsers,
	revokeSessionsOf,
	takenAddresses,
	type UserDetailRow,
	type UserRow,
} from "../db/admin-users";
import type { Db } from "../db/client";
import { addressOwner } from "../db/directory";
import { eventInsert } from "../db/events";
import { inJson } from "../db/in-json";
import { aliases, messages, uploads, users } from "../db/schema";
import { disableTotp } from "../db/second-factors";
import { mailboxIndex } from "../domain/mailbox-index";
import { newId } from "../lib/ids";
import { enqueueInvites } from "../queue/invite";
import { audit, auditEvent } from "./audit";
import type { AppEnv } from "./context";
import { problem } from "./problem";
import { alternateAddress, companyAddress, companyRole, displayName } from "./user-input";
import type { AdminUser, DeleteResult, ImportResult, InviteResult, UserAlias, UserPage } from "./user-types";
import { createPlanned, MAX_CSV_BYTES, planImport } from "./users-import";

const MAX_ALIASES = 20;
const MAX_INVITES = 1000;

const invalid = (detail: string) => problem(422, "Invalid user", detail);
const notFound = () => problem(404, "User not found");
const inUse = (address: string, owner: string) =>
	problem(
		409,
		"Address already in use",
		`${address} already names ${owner === "alias" ? "an" : "a"} ${owner}; one address can belong to one user, alias or group.`,
	);

/** Partner admins and operators are managed from the partner's and operator's own settings. */
function assertCompanyAccount(target: UserRow) {
	if (target.role !== "user" && target.role !== "customer_admin")
		throw problem(409, "Managed elsewhere", `${target.email} is a ${target.role.replace("_", " ")} account; it is not managed from here.`);
}

async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<Record<string, unknown>> {
	const body = await c.req.json().catch(() => null);
	if (!body || typeof body !== "object" || Array.isArray(body)) throw problem(400, "Invalid request", "Send a JSON object.");
	return body as Record<string, unknown>;
}

/** The wire form of an account: flags as booleans, a group by its name (its address when unnamed), ISO times. */
function toAdminUser(r: UserDetailRow): AdminUser {
	return {
		id: r.id,
		email: r.email,
		displayName: r.displayName,
		role: r.role,
		disabled: r.disabledAt !== null,
		alternateEmail: r.alternateEmail,
		aliases: r.aliases,
		groups: r.groups.map((g) => g.name || g.address),
		passwordSet: Boolean(r.passwordSet),
		invitePending: r.invitePending,
		secondFactor: r.secondFactor,
		createdAt: new Date(r.createdAt).toISOString(),
	};
}

/** One of the company's accounts as the page shows it; another company's (or a deleted one) is 404. */
async function companyUserView(db: Db, customerId: string, id: string, now: number): Promise<AdminUser> {
	const row = await findCompanyUserDetail(db, customerId, id, now);
	if (!row) throw notFound();
	return toAdminUser(row);
}

const isUnique = (err: unknown) => err instanceof Error && /UNIQUE constraint failed/i.test(`${err.message} ${String(err.cause ?? "")}`);

export const adminUserRoutes = new Hono<AppEnv>()
	.get("/users", async (c) => {
		const cursor = c.req.query("cursor") || null;
		const page = await listUsers(c.var.db, c.var.customerId, { q: (c.req.query("q") ?? "").trim(), cursor, now: c.var.clock.now() });
		return c.json<UserPage>({ users: page.users.map(toAdminUser), nextCursor: page.nextCursor });
	})
	.post("/users", async (c) => {
		const body = await jsonBody(c);
		const domains = await companyDomains(c.var.db, c.var.customerId);
		const email = companyAddress(body.email, domains);
		if (email.error !== undefined) throw invalid(`email ${email.error}.`);
		const name = displayName(body.displayName);
		if (name.error !== undefined) throw invalid(`displayName ${name.error}.`);
		const role = companyRole(body.role);
		if (role.error !== undefined) throw invalid(`role ${role.error}.`);
		const alternate = alternateAddress(body.alternateEmail, domains);
		if (alternate.error !== undefined) throw invalid(`alternateEmail ${alternate.error}.`);
		if (body.aliases !== undefined && (!Array.isArray(body.aliases) || body.aliases.length > MAX_ALIASES))
			throw invalid(`aliases must be a list of at most ${MAX_ALIASES} addresses.`);
		const aliasList: string[] = [];
		for (const raw of (body.aliases as unknown[] | undefined) ?? []) {
			const a = companyAddress(raw, domains);
			if (a.error !== undefined) throw invalid(`aliases: ${a.error}.`);
			if (a.value !== email.value && !aliasList.includes(a.value)) aliasList.push(a.value);
		}
		const taken = await takenAddresses(c.var.db, [email.value, ...aliasList]);
		for (const [address, owner] of taken) throw inUse(address, owner);

		const db = c.var.db;
		const now = c.var.clock.now();
		const id = newId(now);
		try {
			await db.batch([
				db.insert(users).values({
					id,
					customerId: c.var.customerId,
					email: email.value,
					displayName: name.value,
					role: role.value,
					alternateEmail: alternate.value,
					createdAt: now,
				}),
				eventInsert(
					db,
					auditEvent(c, { kind: "user.created", detail: { email: email.value, role: role.value, alternateEmail: alternate.value } }, now),
				),
				...aliasList.flatMap((address) => [
					db.insert(aliases).values({ id: newId(now), customerId: c.var.customerId, userId: id, address, createdAt: now }),
					eventInsert(db, auditEvent(c, { kind: "alias.added", detail: { email: email.value, alias: address } }, now)),
				]),
			]);
		} catch (err) {
			if (isUnique(err)) throw problem(409, "Address already in use", "One of these addresses was just taken; reload and try again.");
			throw err;
		}
		return c.json<AdminUser>(await companyUserView(db, c.var.customerId, id, now), 201);
	})
	.post("/users/import", async (c) => {
		// JSON-escaping can double a file's size; anything beyond that is not a 1 MiB file.
		if (Number(c.req.header("Content-Length") ?? 0) > 2 * MAX_CSV_BYTES + 1024)
			throw problem(413, "CSV too large", "A file may be at most 1 MiB; split it into smaller files.");
		const body = await jsonBody(c);
		if (typeof body.csv !== "string") throw problem(422, "Invalid import", "csv must be the file's text.");
		if (body.dryRun !== undefined && typeof body.dryRun !== "boolean")
			throw problem(422, "Invalid import", "dryRun must be true or false.");
		if (body.invite !== undefined && typeof body.invite !== "boolean")
			throw problem(422, "Invalid import", "invite must be true or false.");
		const db = c.var.db;
		const plan = await planImport(db, c.var.customerId, body.csv);
		if (body.dryRun === true)
			return c.json<ImportResult>({ created: plan.rows.map((r) => ({ line: r.line, id: "", email: r.email })), errors: plan.errors });
		const now = c.var.clock.now();
		const made = await createPlanned(db, c.var.customerId, c.var.principal.userId, plan.rows, now);
		const errors = [...plan.errors, ...made.errors].sort((a, b) => a.line - b.line);
		if (body.invite !== true) return c.json<ImportResult>({ created: made.created, errors });
		const withAlternate = new Set(plan.rows.filter((r) => r.alternateEmail).map((r) => r.email));
		const invited = made.created.filter((r) => withAlternate.has(r.email));
		await enqueueInvites(
			c.env,
			c.var.customerId,
			invited.map((r) => r.id),
			c.var.principal.userId,
		);
		return c.json<ImportResult>({ created: made.created, errors, invited });
	})
	.post("/users/invite", async (c) => {
		const body = await jsonBody(c);
		const ids = body.ids;
		if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_INVITES || !ids.every((id) => typeof id === "string"))
			throw problem(422, "Invalid invitation", `ids must be a list of 1 to ${MAX_INVITES} user ids.`);
		const unique = [...new Set(ids as string[])];
		const rows = await c.var.db
			.select({ id: users.id, email: users.email, alternate: users.alternateEmail, disabledAt: users.disabledAt, role: users.role })
			.from(users)
			.where(and(eq(users.customerId, c.var.customerId), inJson(users.id, unique)));
		if (rows.length !== unique.length)
			throw problem(404, "User not found", `${unique.length - rows.length} of these ids are not users of this company; nothing was sent.`);
		const result: InviteResult = { queued: [], skipped: [] };
		for (const id of unique) {
			const u = rows.find((r) => r.id === id) as (typeof rows)[number];
			if (u.disabledAt !== null) result.skipped.push({ id, email: u.email, reason: "The account is disabled." });
			else if (!u.alternate) result.skipped.push({ id, email: u.email, reason: "No alternate address to send it to." });
			else result.queued.push({ id, email: u.email, to: u.alternate });
		}
		await enqueueInvites(
			c.env,
			c.var.customerId,
			result.queued.map((q) => q.id),
			c.var.principal.userId,
		);
		return c.json<InviteResult>(result, 202);
	})
	.get("/users/:id", async (c) => {
		return c.json<AdminUser>(await companyUserView(c.var.db, c.var.customerId, c.req.param("id"), c.var.clock.now()));
	})
	.patch("/users/:id", async (c) => {
		const db = c.var.db;
		const target = await findCompanyUser(db, c.var.customerId, c.req.param("id"));
		if (!target) throw notFound();
		const body = await jsonBody(c);
		const now = c.var.clock.now();
		const set: Partial<typeof users.$inferInsert> = {};
		const changed: Record<string, { from: unknown; to: unknown }> = {};
		if (body.displayName !== undefined) {
			const name = displayName(body.displayName);
			if (name.error !== undefined) throw invalid(`displayName ${name.error}.`);
			if (name.value !== target.displayName) set.displayName = name.value;
		}
		if (body.role !== undefined) {
			const role = companyRole(body.role);
			if (role.error !== undefined || body.role === "") throw invalid(`role ${role.error ?? "must be user or customer_admin"}.`);
			if (role.value !== target.role) set.role = role.value;
		}
		if (body.alternateEmail !== undefined) {
			const alternate = alternateAddress(body.alternateEmail, await companyDomains(db, c.var.customerId));
			if (alternate.error !== undefined) throw invalid(`alternateEmail ${alternate.error}.`);
			if (alternate.value !== target.alternateEmail) set.alternateEmail = alternate.value;
		}
		if (body.disabled !== undefined) {
			if (typeof body.disabled !== "boolean") throw invalid("disabled must be true or false.");
			if (body.disabled !== (target.disabledAt !== null)) set.disabledAt = body.disabled ? now : null;
		}
		for (const key of ["displayName", "role", "alternateEmail"] as const)
			if (key in set) changed[key] = { from: target[key], to: set[key] };
		if (Object.keys(set).length === 0) return c.json<AdminUser>(await companyUserView(db, c.var.customerId, target.id, now));

		const rightsChange = "role" in set || "disabledAt" in set;
		if (rightsChange) assertCompanyAccount(target);
		const self = target.id === c.var.principal.userId;
		if (self && set.role !== undefined && set.role !== "customer_admin")
			throw problem(409, "Cannot demote yourself", "You cannot remove your own administrator role; ask another administrator.");
		if (self && set.disabledAt)
			throw problem(409, "Cannot disable yourself", "You cannot disable your own account; ask another administrator.");
		const losesAdmin =
			target.role === "customer_admin" && target.disabledAt === null && ((set.role && set.role !== "customer_admin") || set.disabledAt);
		const guard = losesAdmin ? anotherAdminRemains(c.var.customerId, target.id) : undefined;
		const update = db
			.update(users)
			.set(set)
			.where(and(eq(users.id, target.id), eq(users.customerId, c.var.customerId), guard))
			.returning({ id: users.id });
		// A session seen before a change of rights is worth nothing after it (a promotion too).
		const [updated] = rightsChange ? await db.batch([update, revokeSessionsOf(db, target.id, now, guard)]) : [await update];
		if (updated.length === 0) throw lastAdmin(target.email);
		const kinds: [string, object][] = [];
		if (Object.keys(changed).length) kinds.push(["user.updated", { email: target.email, changed, sessionsRevoked: rightsChange }]);
		if ("disabledAt" in set) kinds.push([set.disabledAt ? "user.disabled" : "user.enabled", { email: target.email }]);
		for (const [kind, detail] of kinds) await audit(c, { kind, detail }, now);
		return c.json<AdminUser>(await companyUserView(db, c.var.customerId, target.id, now));
	})
	.delete("/users/:id", async (c) => {
		const db = c.var.db;
		const target = await findCompanyUser(db, c.var.customerId, c.req.param("id"));
		if (!target) throw notFound();
		assertCompanyAccount(target);
		if (target.id === c.var.principal.userId)
			throw problem(409, "Cannot delete yourself", "You cannot delete your own account; ask another administrator.");
		const now = c.var.clock.now();
		const uploadKeys = await db.select({ key: uploads.r2Key }).from(uploads).where(eq(uploads.userId, target.id));
		// messages.user_id has no cascade: the user's messages stay in the company's mail flow
		// (held mail is still delivered to the company's server) but no Emergency Inbox shows
		// them. Both statements carry the last-admin guard, so neither runs without the other.
		const guard =
			target.role === "customer_admin" && target.disabledAt === null ? anotherAdminRemains(c.var.customerId, target.id) : undefined;
		const [detached, deleted] = await db.batch([
			db
				.update(messages)
				.set({ userId: null })
				.where(and(eq(messages.userId, target.id), eq(messages.customerId, c.var.customerId), guard)),
			db
				.delete(users)
				.where(and(eq(users.id, target.id), eq(users.customerId, c.var.customerId), guard))
				.returning({ id: users.id }),
		]);
		if (deleted.length === 0) throw lastAdmin(target.email);
		if (uploadKeys.length) await c.env.MAIL.delete(uploadKeys.map((u) => u.key));
		// No Emergency Inbox shows the messages any more, so their words leave the search index too.
		await mailboxIndex(c.env, target.id)
			.clear()
			.catch((err: unknown) => console.error(`user ${target.id} deleted; their search index was not cleared`, err));
		const result: DeleteResult = { id: target.id, email: target.email, detachedMessages: detached.meta.changes };
		await audit(
			c,
			{ kind: "user.deleted", detail: { email: target.email, role: target.role, detachedMessages: result.detachedMessages } },
			now,
		);
		return c.json<DeleteResult>(result);
	})
	.delete("/users/:id/second-factor", async (c) => {
		// The person lost both the phone and the recovery codes: an administrator of the company
		// turns the authenticator off, and the next sign-in needs the password (or a mailed code) only.
		const db = c.var.db;
		const target = await findCompanyUser(db, c.var.customerId, c.req.param("id"));
		if (!target) throw notFound();
		assertCompanyAccount(target);
		const now = c.var.clock.now();
		await disableTotp(db, target.id);
		await audit(c, { kind: "user.second_factor_reset", detail: { email: target.email } }, now);
		return c.json<AdminUser>(await companyUserView(db, c.var.customerId, target.id, now));
	})
	.post("/users/:id/aliases", async (c) => {
		const db = c.var.db;
		const target = await findCompanyUser(db, c.var.customerId, c.req.param("id"));
		if (!target) throw notFound();
		const body = await jsonBody(c);
		const address = companyAddress(body.address, await companyDomains(db, c.var.customerId));
		if (address.error !== undefined) throw invalid(`address ${address.error}.`);
		const owner = await addressOwner(db, address.value);
		if (owner) throw inUse(address.value, owner);
		const now = c.var.clock.now();
		const id = newId(now);
		try {
			await db.insert(aliases).values({ id, customerId: c.var.customerId, userId: target.id, address: address.value, createdAt: now });
		} catch (err) {
			if (isUnique(err)) throw inUse(address.value, "alias");
			throw err;
		}
		await audit(c, { kind: "alias.added", detail: { email: target.email, alias: address.value } }, now);
		return c.json<UserAlias>({ id, address: address.value }, 201);
	})
	.delete("/users/:id/aliases/:aliasId", async (c) => {
		const db = c.var.db;
		const target = await findCompanyUser(db, c.var.customerId, c.req.param("id"));
		if (!target) throw notFound();
		const [gone] = await db
			.delete(aliases)
			.where(and(eq(aliases.id, c.req.param("aliasId")), eq(aliases.userId, target.id), eq(aliases.customerId, c.var.customerId)))
			.returning({ address: aliases.address });
		if (!gone) throw problem(404, "Alias not found");
		const now = c.var.clock.now();
		await audit(c, { kind: "alias.removed", detail: { email: target.email, alias: gone.address } }, now);
		return c.body(null, 204);
	});

function lastAdmin(email: string) {
	return problem(
		409,
		"Last administrator",
		`${email} is the company's only enabled administrator; make someone else an administrator first, so the company keeps one.`,
	);
}
