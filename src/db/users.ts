import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { users } from "./schema";

export type UserRow = typeof users.$inferSelect;

export async function findUserById(db: Db, id: string) {
	return db.query.users.findFirst({ where: eq(users.id, id) });
}

export async function findUserByEmail(db: Db, email: string) {
	return db.query.users.findFirst({ where: eq(users.email, email) });
}
