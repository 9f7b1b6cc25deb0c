import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { aliases, groups, users } from "./schema";

/**
 * What already answers to a canonical address: a user, an alias or a group (one address names
 * one thing across every company), or null when it is free. One round trip.
 */
export async function addressOwner(db: Db, address: string): Promise<"user" | "alias" | "group" | null> {
	const [u, a, g] = await db.batch([
		db.select({ id: users.id }).from(users).where(eq(users.email, address)).limit(1),
		db.select({ id: aliases.id }).from(aliases).where(eq(aliases.address, address)).limit(1),
		db.select({ id: groups.id }).from(groups).where(eq(groups.address, address)).limit(1),
	]);
	return u.length ? "user" : a.length ? "alias" : g.length ? "group" : null;
}
