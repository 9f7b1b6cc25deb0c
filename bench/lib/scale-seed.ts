// Bulk held mail for bench/scale.ts, written straight into the local state files while
// `wrangler dev` is stopped: D1 `messages` rows (held_at set) for many mailboxes, and one
// mailbox's search index in its MailboxIndex object's SQLite. No R2 bodies, no deliveries or
// events rows, nothing in any DomainRelay spool: only what listing and search read.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { decodeTime, monotonicFactory } from "ulid";

/** The one D1 database under `--persist-to <stateDir>` (after migrations created it). */
export function d1Path(stateDir: string): string {
	const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
	const files = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
	if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
	return join(dir, files[0] as string);
}

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

const WORDS = (
	"invoice meeting quarterly report budget review contract shipment delivery schedule payroll audit " +
	"update reminder agenda minutes proposal draft summary forecast renewal ticket outage server backup " +
	"customer supplier order payment receipt travel expense approval policy training holiday notice"
).split(" ");

function lcg(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

export interface SeededEntry {
	id: string;
	subject: string;
	addresses: string;
	body: string;
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
	const db = new DatabaseSync(file);
	const random = lcg(o.seed);
	const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
	const words = (n: number) => Array.from({ length: n }, word).join(" ");
	const end = Date.now() - 3_600_000;
	const step = (o.days * 86_400_000) / Math.max(o.count, 1);
	const nextId = monotonicFactory();
	const insert = db.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, folder, envelope_from, envelope_to, from_header, to_header,
			subject, message_id_header, sent_at, received_at, size, sha256, r2_key, has_attachments, seen, status, updated_at,
			held_at, snippet)
		VALUES (?, ?, ?, ?, 'inbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'spooled', ?, ?, ?)`,
	);
	const entries: SeededEntry[] = [];
	let rare = 0;
	let mine = 0;
	db.exec("BEGIN");
	try {
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
			insert.run(
				id,
				m.customerId,
				m.domainId,
				m.userId,
				sender,
				m.address,
				sender,
				m.address,
				subject,
				`<${id}@example.org>`,
				at,
				at,
				1_000 + Math.floor(random() * 40_000),
				randomBytes(32).toString("hex"),
				`c/${m.customerId}/m/${id}.eml`,
				random() < 0.1 ? 1 : 0,
				random() < 0.5 ? 1 : 0,
				at,
				at,
				body.slice(0, 160),
			);
			if (m.userId === o.indexFor) entries.push({ id, subject, addresses: `${sender} ${m.address}`, body });
		}
		db.exec("COMMIT");
	} catch (err) {
		db.exec("ROLLBACK");
		throw err;
	} finally {
		db.close();
	}
	return { entries, rare };
}

/** As MailboxIndex.index() (src/domain/mailbox-index.ts): docs by arrival time × 4096 + a counter. */
export function seedIndex(file: string, entries: SeededEntry[]): void {
	const db = new DatabaseSync(file);
	const free = db.prepare("SELECT coalesce(max(doc) + 1, ?1) AS d FROM docs WHERE doc >= ?1 AND doc < ?1 + 4096");
	const doc = db.prepare("INSERT INTO docs (message_id, doc) VALUES (?, ?) ON CONFLICT DO NOTHING");
	const fts = db.prepare("INSERT INTO search (rowid, subject, addresses, body) VALUES (?, ?, ?, ?)");
	db.exec("BEGIN");
	try {
		for (const e of entries) {
			const d = Number((free.get(decodeTime(e.id) * 4096) as { d: number }).d);
			if (doc.run(e.id, d).changes === 0) continue;
			fts.run(d, e.subject, e.addresses, e.body);
		}
		db.exec("COMMIT");
	} catch (err) {
		db.exec("ROLLBACK");
		throw err;
	} finally {
		db.close();
	}
}
