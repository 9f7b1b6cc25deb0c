// Customer admin API for groups: an address on one of the company's domains whose mail reaches
// each member's Emergency Inbox (src/ingest/fan-out.ts). Members are users of the same company;
// every change is one transaction with its audit event.
import { Hono } from "hono";
import { listCustomerDomains } from "../db/admin-domains";
import { addressOwner } from "../db/directory";
import {
	companyUserIds,
	createGroup,
	deleteGroup,
	findGroup,
	type GroupRow,
	groupMembersOf,
	listGroups,
	MAX_GROUP_MEMBERS,
	updateGroup,
} from "../db/groups";
import { newId } from "../lib/ids";
import { parseAddress } from "../mail/address";
import { auditEvent } from "./audit";
import type { AppEnv } from "./context";
import type { GroupDetail, GroupPage } from "./directory-types";
import { problem } from "./problem";

const PAGE = 100;
const MAX_NAME = 200;

const invalid = (detail: string) => problem(422, "Invalid group", detail);

function parseName(value: unknown): string {
	if (typeof value !== "string" || value.trim().length > MAX_NAME) throw invalid(`name must be text of at most ${MAX_NAME} characters.`);
	return value.trim();
}

/** The member list: unique user ids, at most MAX_GROUP_MEMBERS, every one a user of the company. */
async function parseMembers(c: { var: AppEnv["Variables"] }, value: unknown): Promise<string[]> {
	if (!Array.isArray(value) || !value.every((v) => typeof v === "string"))
		throw invalid("members must be a list of user ids (it may be empty).");
	const ids = [...new Set(value as string[])];
	if (ids.length > MAX_GROUP_MEMBERS)
		throw invalid(`members: a group has at most ${MAX_GROUP_MEMBERS} members; keep larger lists on your own mail server.`);
	const known = await companyUserIds(
		c.var.db,
		c.var.customerId,
		ids.filter((id) => id.length <= 64),
	);
	const stranger = ids.find((id) => !known.has(id));
	if (stranger !== undefined) throw invalid(`members: ${JSON.stringify(stranger.slice(0, 40))} is not a user of your company.`);
	return ids;
}

async function detail(c: { var: AppEnv["Variables"] }, group: GroupRow): Promise<GroupDetail> {
	const members = await groupMembersOf(c.var.db, c.var.customerId, group.id);
	return {
		id: group.id,
		address: group.address,
		name: group.name,
		members: members.map((m) => ({ id: m.id, email: m.email, displayName: m.displayName, disabled: m.disabledAt !== null })),
	};
}

const OWNER_WORDS = { user: "a user's address", alias: "an alias of a user", group: "another group" } as const;

// Mounted beside the other /api/admin sub-apps: a path-less use() would run for all of theirs too.
export const groupRoutes = new Hono<AppEnv>()
	.get("/groups", async (c) => {
		const cursor = c.req.query("cursor") ?? null;
		const rows = await listGroups(c.var.db, c.var.customerId, cursor, PAGE + 1);
		const page = rows.slice(0, PAGE);
		return c.json<GroupPage>({
			groups: page.map((g) => ({ id: g.id, address: g.address, name: g.name, memberCount: g.memberCount })),
			nextCursor: rows.length > PAGE ? (page.at(-1)?.address ?? null) : null,
		});
	})
	.post("/groups", async (c) => {
		const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send a JSON object {address, name, members}.");
		const parsed = typeof body.address === "string" ? parseAddress(body.address) : null;
		if (!parsed || !/^[^@]+@[^@]+\.[^@]+$/.test(parsed.canonical))
			throw invalid("address must be an email address, such as team@example.com.");
		if (parsed.canonical !== parsed.mailbox)
			throw invalid("address must not have a +tag: mail to team+anything@ already reaches the group team@.");
		const address = parsed.canonical;
		const domains = await listCustomerDomains(c.var.db, c.var.customerId);
		const domain = domains.find((d) => d.name === parsed.domain);
		if (!domain)
			throw invalid(
				`address must be on one of your company's domains (${domains.map((d) => d.displayName).join(", ") || "none yet"}), not ${parsed.domain}.`,
			);
		const name = body.name === undefined ? "" : parseName(body.name);
		const members = await parseMembers(c, body.members ?? []);
		const owner = await addressOwner(c.var.db, address);
		if (owner) throw problem(409, "Address taken", `address ${address} is already ${OWNER_WORDS[owner]}; choose another.`);
		const now = c.var.clock.now();
		const id = newId(now);
		try {
			await createGroup(
				c.var.db,
				{ id, customerId: c.var.customerId, address, name, createdAt: now },
				members,
				auditEvent(c, { domainId: domain.id, kind: "group.created", detail: { address, name, members: members.length } }, now),
			);
		} catch (err) {
			// Two admins creating the same address at once: the unique index decides, the loser hears why.
			if (await addressOwner(c.var.db, address))
				throw problem(409, "Address taken", `address ${address} was taken a moment ago; choose another.`);
			throw err;
		}
		const group = (await findGroup(c.var.db, c.var.customerId, id)) as GroupRow;
		return c.json<GroupDetail>(await detail(c, group), 201);
	})
	.get("/groups/:id", async (c) => {
		const group = await findGroup(c.var.db, c.var.customerId, c.req.param("id"));
		if (!group) throw problem(404, "Group not found");
		return c.json<GroupDetail>(await detail(c, group));
	})
	.patch("/groups/:id", async (c) => {
		const group = await findGroup(c.var.db, c.var.customerId, c.req.param("id"));
		if (!group) throw problem(404, "Group not found");
		const body = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
		if (!body || typeof body !== "object") throw problem(400, "Invalid request", "Send a JSON object with name and/or members.");
		if (body.address !== undefined && body.address !== group.address)
			throw invalid("address cannot change: delete the group and create one with the new address.");
		const set: { name?: string; members?: string[] } = {};
		if (body.name !== undefined) set.name = parseName(body.name);
		if (body.members !== undefined) set.members = await parseMembers(c, body.members);
		if (set.name !== undefined || set.members !== undefined) {
			const before = set.members ? new Set((await groupMembersOf(c.var.db, c.var.customerId, group.id)).map((m) => m.id)) : null;
			const now = c.var.clock.now();
			await updateGroup(
				c.var.db,
				c.var.customerId,
				group.id,
				set,
				auditEvent(
					c,
					{
						kind: "group.updated",
						detail: {
							address: group.address,
							...(set.name !== undefined ? { name: set.name } : {}),
							...(set.members && before
								? {
										added: set.members.filter((id) => !before.has(id)).length,
										removed: [...before].filter((id) => !set.members?.includes(id)).length,
									}
								: {}),
						},
					},
					now,
				),
			);
		}
		const updated = (await findGroup(c.var.db, c.var.customerId, group.id)) as GroupRow;
		return c.json<GroupDetail>(await detail(c, updated));
	})
	.delete("/groups/:id", async (c) => {
		const group = await findGroup(c.var.db, c.var.customerId, c.req.param("id"));
		if (!group) throw problem(404, "Group not found");
		const now = c.var.clock.now();
		await deleteGroup(
			c.var.db,
			c.var.customerId,
			group.id,
			auditEvent(c, { kind: "group.deleted", detail: { address: group.address, name: group.name } }, now),
		);
		return c.body(null, 204);
	});
