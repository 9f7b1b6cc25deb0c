// A big mailbox for the benchmarks: rows written straight into the local D1's SQLite file, and
// its search index straight into the mailbox's MailboxIndex object's SQLite file, because
// 100,000 messages through the email handler and the ei-index queue would take the better part
// of an hour. Only what listing and search read is real (metadata and the index); r2_key points
// at nothing, so opening one of these messages answers 410.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { decodeTime, monotonicFactory } from "ulid";

/** The one D1 database wrangler keeps under `--persist-to <stateDir>` (after migrations created it). */
export function d1File(stateDir: string): string {
	const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
	// Named by a hash of the database id; metadata.sqlite beside it is miniflare's own.
	const files = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
	if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
	return join(dir, files[0] as string);
}

export interface SeedOptions {
	count: number;
	customerId: string;
	domainId: string;
	userId: string;
	address: string;
	/** In one message of this many, the body carries `rareWord` (1% at 100). */
	rareEvery: number;
	rareWord: string;
	/** Received times are spread evenly over the days before now. */
	days: number;
}

/** What src/domain/mailbox-index.ts indexes for one message (its IndexEntry). */
export interface SeededEntry {
	messageId: string;
	subject: string;
	addresses: string;
	body: string;
}

export interface SeededMailbox {
	/** Our message ids, oldest first. */
	ids: string[];
	rare: number;
	/** The search index's entries, oldest first, for seedMailboxIndex(). */
	entries: SeededEntry[];
}

export const WORDS = (
	"invoice meeting quarterly report budget review contract shipment delivery schedule payroll audit " +
	"update reminder agenda minutes proposal draft summary forecast renewal ticket outage server backup " +
	"customer supplier order payment receipt travel expense approval policy training holiday notice"
).split(" ");
const NAMES = ["Zed Ops", "Mira Finance", "Ken Sales", "Ola Legal", "Ada Support", "Tom Facilities", "Ivy HR", "Raj IT"];

/** A deterministic pseudo-random sequence, so every run seeds the same words. */
export function lcg(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** Runs `work` on the SQLite file in one transaction (rolled back if it throws), then closes it. */
export function inOneTransaction<T>(file: string, work: (db: DatabaseSync) => T): T {
	const db = new DatabaseSync(file);
	db.exec("BEGIN");
	try {
		const result = work(db);
		db.exec("COMMIT");
		return result;
	} catch (err) {
		db.exec("ROLLBACK");
		throw err;
	} finally {
		db.close();
	}
}

/** One held message row (id, customer, domain, user, envelope from/to, From/To headers, subject, …, snippet). */
export const HELD_INSERT = `INSERT INTO messages (id, customer_id, domain_id, user_id, folder, envelope_from, envelope_to, from_header, to_header,
	subject, message_id_header, sent_at, received_at, size, sha256, r2_key, has_attachments, seen, status, updated_at,
	held_at, snippet)
VALUES (?, ?, ?, ?, 'inbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'spooled', ?, ?, ?)`;

export interface HeldRow {
	id: string;
	customerId: string;
	domainId: string;
	userId: string;
	/** Envelope sender, and the From header. */
	sender: string;
	from: string;
	to: string;
	subject: string;
	at: number;
	body: string;
}

/** Runs HELD_INSERT for one message; size, hash, attachment and seen flags drawn from `random`. */
export function insertHeld(stmt: StatementSync, random: () => number, r: HeldRow): void {
	stmt.run(
		r.id,
		r.customerId,
		r.domainId,
		r.userId,
		r.sender,
		r.to,
		r.from,
		r.to,
		r.subject,
		`<${r.id}@example.org>`,
		r.at,
		r.at,
		1_000 + Math.floor(random() * 40_000),
		randomBytes(32).toString("hex"),
		`c/${r.customerId}/m/${r.id}.eml`,
		random() < 0.1 ? 1 : 0,
		random() < 0.5 ? 1 : 0,
		r.at,
		r.at,
		r.body.slice(0, 160),
	);
}

/**
 * Inserts `count` held messages into D1, oldest first, with ULIDs in arrival order (the list's
 * keyset); returns their index entries too. One transaction: a few seconds.
 */
export function seedMailbox(file: string, o: SeedOptions): SeededMailbox {
	return inOneTransaction(file, (db) => {
		const random = lcg(42);
		const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
		const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
		const now = Date.now();
		const start = now - o.days * 86_400_000;
		const step = (now - start) / o.count;
		const nextId = monotonicFactory();
		const ids: string[] = [];
		let rare = 0;
		const message = db.prepare(HELD_INSERT);
		const entries: SeededEntry[] = [];
		for (let i = 0; i < o.count; i++) {
			const at = Math.floor(start + i * step);
			const id = nextId(at);
			ids.push(id);
			const name = pick(NAMES);
			const sender = `${name.split(" ")[0]?.toLowerCase()}@example.org`;
			const from = `${name} <${sender}>`;
			const subject = `${words(1)} ${words(1)} ${i}`;
			let body = `${words(12)}. ${words(10)}.`;
			if (i % o.rareEvery === o.rareEvery - 1) {
				body += ` ${o.rareWord}`;
				rare++;
			}
			insertHeld(message, random, {
				id,
				customerId: o.customerId,
				domainId: o.domainId,
				userId: o.userId,
				sender,
				from,
				to: o.address,
				subject,
				at,
				body,
			});
			// As indexEntry(): From, To (and Cc, none here) joined by a space.
			entries.push({ messageId: id, subject, addresses: `${from} ${o.address}`, body });
		}
		return { ids, rare, entries };
	});
}

/** As src/domain/mailbox-index.ts DOCS_PER_MS. */
const DOCS_PER_MS = 4096;

/**
 * Writes `entries` into a MailboxIndex object's own SQLite file (its `search` and `docs` tables,
 * which the object created on its first call), with the statements and the doc rule of
 * MailboxIndex.index(): doc = ULID time × DOCS_PER_MS + a counter, the next free one in order.
 * Run it while no workerd has the file open. One transaction; returns how many were new.
 */
export function seedMailboxIndex(file: string, entries: SeededEntry[]): number {
	return inOneTransaction(file, (db) => {
		const known = db.prepare("SELECT 1 FROM docs WHERE message_id = ?");
		const next = db.prepare(`SELECT coalesce(max(doc) + 1, ?1) AS d FROM docs WHERE doc >= ?1 AND doc < ?1 + ${DOCS_PER_MS}`);
		const taken = db.prepare("SELECT 1 FROM docs WHERE doc = ?");
		const doc = db.prepare("INSERT INTO docs (message_id, doc) VALUES (?, ?) RETURNING doc");
		const search = db.prepare("INSERT INTO search (rowid, subject, addresses, body) VALUES (?, ?, ?, ?)");
		let added = 0;
		for (const e of entries) {
			if (known.get(e.messageId)) continue;
			let d = (next.get(decodeTime(e.messageId) * DOCS_PER_MS) as { d: number }).d;
			while (taken.get(d)) d += 1;
			const row = doc.get(e.messageId, d) as { doc: number } | undefined;
			if (!row) continue;
			search.run(row.doc, e.subject, e.addresses, e.body);
			added += 1;
		}
		return added;
	});
}
