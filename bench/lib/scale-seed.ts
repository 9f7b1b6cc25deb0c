// Bulk held mail for bench/scale.ts, written straight into the local state files while
// `wrangler dev` is stopped: D1 `messages` rows (held_at set) for many mailboxes, and one
// mailbox's search index in its MailboxIndex object's SQLite (seed-mailbox.ts seedMailboxIndex). No R2 bodies, no deliveries or
// events rows, nothing in any DomainRelay spool: only what listing and search read.
import { createHash, createHmac } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { monotonicFactory } from "ulid";
import { HELD_INSERT, inOneTransaction, insertHeld, lcg, type SeededEntry, WORDS } from "./seed-mailbox";

/**
 * The SQLite file of the object `idFromName(name)` of a class, as workerd names it locally:
 * the namespace key is SHA-256 of miniflare's unique key (`<script>-<class>`), the id's first
 * 16 bytes are HMAC-SHA-256(key, name), the last 16 an HMAC of those. Throws if the file is
 * not there (the object never ran): call the object once through the worker first.
 */
export function objectPath(stateDir: string, script: string, className: string, name: string): string {
	const uniqueKey = `${script}-${className}`;
	const key = createHash("sha256").update(uniqueKey).digest();
	const base = createHmac("sha256", key).update(name).digest().subarray(0, 16);
	const mac = createHmac("sha256", key).update(base).digest().subarray(0, 16);
	const file = join(stateDir, "v3", "do", uniqueKey, `${Buffer.concat([base, mac]).toString("hex")}.sqlite`);
	if (!existsSync(file)) throw new Error(`no object file for ${className} "${name}" at ${file}`);
	return file;
}

export interface Mailbox {
	customerId: string;
	domainId: string;
	userId: string;
	address: string;
}

/**
 * Inserts `count` held messages, the i-th for `pick(i)`, received at times spread over the
 * `days` before an hour ago. Returns the index entries of the messages for `indexFor` (one
 * mailbox); `rareWord` is in one body of `rareEvery` of that mailbox's. One transaction.
 */
export function seedHeld(
	file: string,
	o: { count: number; pick: (i: number) => Mailbox; indexFor: string; rareWord: string; rareEvery: number; days: number; seed: number },
): { entries: SeededEntry[]; rare: number } {
	return inOneTransaction(file, (db) => {
		const random = lcg(o.seed);
		const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
		const words = (n: number) => Array.from({ length: n }, word).join(" ");
		const end = Date.now() - 3_600_000;
		const step = (o.days * 86_400_000) / Math.max(o.count, 1);
		const nextId = monotonicFactory();
		const insert = db.prepare(HELD_INSERT);
		const entries: SeededEntry[] = [];
		let rare = 0;
		let mine = 0;
		for (let i = 0; i < o.count; i++) {
			const m = o.pick(i);
			const at = Math.floor(end - o.days * 86_400_000 + i * step);
			const id = nextId(at);
			const sender = `${word()}@example.org`;
			const subject = `${word()} ${word()} ${i}`;
			let body = `${words(12)}. ${words(10)}.`;
			if (m.userId === o.indexFor && mine++ % o.rareEvery === o.rareEvery - 1) {
				body += ` ${o.rareWord}`;
				rare++;
			}
			insertHeld(insert, random, {
				id,
				customerId: m.customerId,
				domainId: m.domainId,
				userId: m.userId,
				sender,
				from: sender,
				to: m.address,
				subject,
				at,
				body,
			});
			if (m.userId === o.indexFor) entries.push({ messageId: id, subject, addresses: `${sender} ${m.address}`, body });
		}
		return { entries, rare };
	});
}
