// One Durable Object per served domain (idFromName(domain)). It owns the domain's
// downstream health and delivery schedule; D1 stays the source of truth for messages.
// This first slice records what it is handed and marks it held in the spool; the
// delivery engine (health, retries, drain) builds on this table.
import { DurableObject } from "cloudflare:workers";
import { openDb } from "../db/client";
import { transitionStatus } from "../db/messages";

export class DomainRelay extends DurableObject<Env> {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		ctx.storage.sql.exec(
			`CREATE TABLE IF NOT EXISTS spool (
				message_id TEXT PRIMARY KEY,
				received_at INTEGER NOT NULL
			)`,
		);
	}

	/** Takes a stored message into this domain's spool. Repeating it changes nothing. */
	async accept(messageId: string, receivedAt: number): Promise<void> {
		this.ctx.storage.sql.exec(
			"INSERT INTO spool (message_id, received_at) VALUES (?, ?) ON CONFLICT (message_id) DO NOTHING",
			messageId,
			receivedAt,
		);
		await transitionStatus(openDb(this.env.DB), messageId, "received", "spooled", Date.now());
	}

	/** Ids held for this domain, oldest first. */
	spooled(limit = 100): string[] {
		return this.ctx.storage.sql
			.exec<{ message_id: string }>("SELECT message_id FROM spool ORDER BY received_at, message_id LIMIT ?", limit)
			.toArray()
			.map((r) => r.message_id);
	}
}
