// The least an accepting email() handler can store on this wrangler: the raw bytes to R2 (with
// their SHA-256, as ours), one row to D1 and one row in a Durable Object per domain, in that
// order, each awaited. No parsing, no recipient lookup, no search, no delivery. bench/ingest.ts
// runs it beside ours and beside the null worker: what remains between this floor and ours is
// our own work; what lies between the null worker and this floor is what local D1, R2 and
// Durable Objects cost on workerd's one thread.
import { DurableObject } from "cloudflare:workers";

interface Env {
	DB: D1Database;
	MAIL: R2Bucket;
	SPOOL: DurableObjectNamespace<Spool>;
}

export class Spool extends DurableObject<Env> {
	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS spool (id TEXT PRIMARY KEY, recipient TEXT NOT NULL, received_at INTEGER NOT NULL)");
	}

	async accept(id: string, recipient: string, receivedAt: number): Promise<void> {
		this.ctx.storage.sql.exec("INSERT INTO spool (id, recipient, received_at) VALUES (?, ?, ?)", id, recipient, receivedAt);
	}
}

let ready: Promise<unknown> | null = null;

export default {
	async fetch(): Promise<Response> {
		return new Response("storage floor");
	},
	async email(message: ForwardableEmailMessage, env: Env): Promise<void> {
		ready ??= env.DB.exec(
			"CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, recipient TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL, received_at INTEGER NOT NULL)",
		);
		await ready;
		const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
		const sha256 = [...new Uint8Array(await crypto.subtle.digest("SHA-256", raw))].map((b) => b.toString(16).padStart(2, "0")).join("");
		const id = crypto.randomUUID();
		const now = Date.now();
		await env.MAIL.put(id, raw, { sha256 });
		await env.DB.prepare("INSERT INTO messages (id, recipient, sha256, size, received_at) VALUES (?, ?, ?, ?, ?)")
			.bind(id, message.to, sha256, raw.byteLength, now)
			.run();
		const domain = message.to.slice(message.to.lastIndexOf("@") + 1);
		await env.SPOOL.get(env.SPOOL.idFromName(domain)).accept(id, message.to, now);
	},
};
