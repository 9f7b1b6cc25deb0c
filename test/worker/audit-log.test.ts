// The activity log is the audit trail: append-only down to the database, and what it records
// for sign-ins (successful and failed) is there for the company's admins to read.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newId } from "../../src/lib/ids";
import { api, createTenant, PASSWORD, signIn, signInAdmin } from "./helpers";

describe("the audit log", () => {
	it("cannot be edited or erased, only appended to", async () => {
		const t = await createTenant();
		const id = newId();
		await env.DB.prepare("INSERT INTO events (id, customer_id, kind) VALUES (?, ?, 'test.appended')").bind(id, t.customerId).run();
		await expect(env.DB.prepare("UPDATE events SET kind = 'test.rewritten' WHERE id = ?").bind(id).run()).rejects.toThrow(/append-only/);
		await expect(env.DB.prepare("DELETE FROM events WHERE id = ?").bind(id).run()).rejects.toThrow(/append-only/);
		expect(await env.DB.prepare("SELECT kind FROM events WHERE id = ?").bind(id).first("kind")).toBe("test.appended");
	});

	it("shows the company's admins sign-ins and failed sign-ins, and nobody else's", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		await signIn(t.alice.email);
		const failed = await api("/session", "", {
			method: "POST",
			headers: { "Content-Type": "application/json", Origin: "http://localhost" },
			body: JSON.stringify({ email: t.bob.email, password: `${PASSWORD}!` }),
		});
		expect(failed.status).toBe(401);
		await signIn(other.alice.email);
		const page = (await (await api("/admin/events?kind=auth.", admin)).json()) as {
			events: { kind: string; actorUserId: string | null; detail: { email?: string } }[];
		};
		const kinds = page.events.map((e) => `${e.kind} ${e.actorUserId ?? e.detail.email}`);
		expect(kinds).toContain(`auth.login ${t.alice.id}`);
		expect(kinds.some((k) => k.startsWith("auth.login_failed"))).toBe(true);
		expect(kinds).not.toContain(`auth.login ${other.alice.id}`);
	});
});
