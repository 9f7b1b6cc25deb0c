// A customer admin opening a user's Emergency Inbox: reason required, audited, a new
// session token, read-only unless the admin chooses to act, and never another company's.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MessagePage, Viewing } from "../../src/api/types";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { idOf } from "./downstream";
import { api, createTenant, deliver, PASSWORD, signIn, signInAdmin, simpleMessage } from "./helpers";

const json = (method: string, body: unknown): RequestInit => ({
	method,
	headers: { "Content-Type": "application/json" },
	body: JSON.stringify(body),
});
const cookieOf = (res: Response) => (res.headers.get("Set-Cookie") ?? "").split(";")[0] as string;

async function events(customerId: string | null, kind: string) {
	const rows = await env.DB.prepare(
		"SELECT actor_user_id AS actor, detail FROM events WHERE kind = ? AND (customer_id = ? OR ? IS NULL) ORDER BY id",
	)
		.bind(kind, customerId, customerId)
		.all<{ actor: string; detail: string }>();
	return rows.results;
}

describe("opening a user's Emergency Inbox", () => {
	it("needs a reason, rotates the session, shows the inbox read-only and records every message opened", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("private"));
		const admin = await signInAdmin(t);
		expect((await api(`/admin/users/${t.alice.id}/view`, admin, json("POST", { reason: "" }))).status).toBe(422);

		const res = await api(`/admin/users/${t.alice.id}/view`, admin, json("POST", { reason: "Alice is on leave; urgent invoice" }));
		expect(res.status).toBe(200);
		const viewer = cookieOf(res);
		expect(viewer).not.toBe(admin);
		expect((await api("/session", admin)).status).toBe(401);
		const session = (await (await api("/session", viewer)).json()) as { viewing: Viewing };
		expect(session.viewing).toEqual({
			userId: t.alice.id,
			email: t.alice.email,
			reason: "Alice is on leave; urgent invoice",
			canAct: false,
		});

		const list = (await (await api("/mailbox/messages", viewer)).json()) as MessagePage;
		expect(list.messages.map((m) => m.subject)).toEqual(["private"]);
		const id = await idOf(t.alice.email, "private");
		expect((await api(`/mailbox/messages/${id}`, viewer)).status).toBe(200);
		const [started] = await events(t.customerId, "inbox.view_started");
		expect(JSON.parse(started?.detail ?? "{}")).toMatchObject({ mailbox: t.alice.email, reason: "Alice is on leave; urgent invoice" });
		expect((await events(t.customerId, "inbox.message_viewed")).map((e) => JSON.parse(e.detail).mailbox)).toEqual([t.alice.email]);

		// Read-only: no change, no sending.
		const patch = await api("/mailbox/messages", viewer, json("PATCH", { ids: [id], seen: true }));
		expect(patch.status).toBe(403);
		expect(((await patch.json()) as { title: string }).title).toBe("Read-only view");
		expect(
			(await api("/mailbox/send", viewer, json("POST", { to: [t.bob.email], cc: [], bcc: [], subject: "x", text: "x", attachments: [] })))
				.status,
		).toBe(403);
		expect(await env.DB.prepare("SELECT seen FROM messages WHERE id = ?").bind(id).first("seen")).toBe(0);

		// Leaving the view is recorded and gives back the admin's own (empty) mailbox.
		const back = await api("/admin/view", viewer, { method: "DELETE" });
		expect(back.status).toBe(204);
		const own = cookieOf(back);
		expect(((await (await api("/mailbox/messages", own)).json()) as MessagePage).messages).toEqual([]);
		expect(await events(t.customerId, "inbox.view_ended")).toHaveLength(1);
	});

	it("lets the admin act when chosen, recorded as the admin", async () => {
		const t = await createTenant();
		await deliver("x@example.org", t.alice.email, simpleMessage("needs an answer"));
		const admin = await signInAdmin(t);
		const viewer = cookieOf(
			await api(`/admin/users/${t.alice.id}/view`, admin, json("POST", { reason: "Answering for Alice", act: true })),
		);
		const id = await idOf(t.alice.email, "needs an answer");
		expect((await api("/mailbox/messages", viewer, json("PATCH", { ids: [id], seen: true }))).status).toBe(200);
		const sent = await api(
			"/mailbox/send",
			viewer,
			json("POST", { to: [t.bob.email], cc: [], bcc: [], subject: "On behalf", text: "x", attachments: [] }),
		);
		expect(sent.status).toBe(202);
		const adminId = await env.DB.prepare("SELECT id FROM users WHERE email = ?").bind(`admin@${t.domain}`).first<string>("id");
		const [event] = await events(t.customerId, "message.sent");
		expect(event?.actor).toBe(adminId);
		const from = await env.DB.prepare("SELECT envelope_from FROM messages WHERE folder = 'sent' AND user_id = ?")
			.bind(t.alice.id)
			.first("envelope_from");
		expect(from).toBe(t.alice.email);
	});

	it("never reaches another company's user, and a partner is refused with an audit event", async () => {
		const t = await createTenant();
		const other = await createTenant();
		const admin = await signInAdmin(t);
		expect((await api(`/admin/users/${other.alice.id}/view`, admin, json("POST", { reason: "Curious about them" }))).status).toBe(404);

		const partnerCo = newId();
		await env.DB.prepare("INSERT INTO customers (id, name) VALUES (?, 'Partner Co')").bind(partnerCo).run();
		const partnerEmail = `partner-${crypto.randomUUID().slice(0, 6)}@partner.test`;
		await env.DB.prepare("INSERT INTO users (id, customer_id, email, role, password_hash) VALUES (?, ?, ?, 'partner_admin', ?)")
			.bind(newId(), partnerCo, partnerEmail, await hashPassword(PASSWORD, paramsFor(env)))
			.run();
		const partner = await signIn(partnerEmail);
		const refused = await api(`/admin/users/${t.alice.id}/view`, partner, json("POST", { reason: "Partner wants to read" }));
		expect(refused.status).toBe(403);
		expect(((await refused.json()) as { detail: string }).detail).toMatch(/cannot use the administration/);
		const denied = await events(partnerCo, "access.denied");
		expect(denied.map((e) => JSON.parse(e.detail).path)).toEqual([`/api/admin/users/${t.alice.id}/view`]);
	});
});
