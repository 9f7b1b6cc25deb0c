// A big mailbox for the benchmarks: rows written straight into the local D1's SQLite file,
// because 100,000 messages through the email handler would take the better part of an hour.
// Only what listing and search read is real (metadata and the FTS index); r2_key points at
// nothing, so opening one of these messages answers 410.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { monotonicFactory } from "ulid";

/** The one D1 database wrangler keeps under `--persist-to <stateDir>` (after migrations created it). */
export function d1File(stateDir: string): string {
	const dir = join(stateDir, "v3", "d1", "miniflare-D1DatabaseObject");
	// Named by a hash of the database id; metadata.sqlite beside it is miniflare's own.
	const files = readdirSync(dir).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
	if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
	return join(dir, files[0] as string);
}

/** As src/db/search.ts ownerToken(): "o" + hex of the UTF-8 user id. */
export function ownerToken(userId: string): string {
	return `o${Buffer.from(userId, "utf8").toString("hex")}`;
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

export interface SeededMailbox {
	/** Our message ids, oldest first. */
	ids: string[];
	rare: number;
}

const WORDS = (
	"invoice meeting quarterly report budget review contract shipment delivery schedule payroll audit " +
	"update reminder agenda minutes proposal draft summary forecast renewal ticket outage server backup " +
	"customer supplier order payment receipt travel expense approval policy training holiday notice"
).split(" ");
const NAMES = ["Zed Ops", "Mira Finance", "Ken Sales", "Ola Legal", "Ada Support", "Tom Facilities", "Ivy HR", "Raj IT"];

/** A deterministic pseudo-random sequence, so every run seeds the same words. */
function lcg(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/**
 * Inserts `count` held messages, oldest first, with ULIDs in arrival order (the list's keyset)
 * and one FTS row each (rowids in the same order). One transaction: a few seconds.
 */
export function seedMailbox(file: string, o: SeedOptions): SeededMailbox {
	const db = new DatabaseSync(file);
	const random = lcg(42);
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)] as T;
	const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
	const now = Date.now();
	const start = now - o.days * 86_400_000;
	const step = (now - start) / o.count;
	const nextId = monotonicFactory();
	const ids: string[] = [];
	let rare = 0;
	const message = db.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, folder, envelope_from, envelope_to, from_header, to_header,
			subject, message_id_header, sent_at, received_at, size, sha256, r2_key, has_attachments, seen, status, updated_at,
			held_at, snippet)
		VALUES (?, ?, ?, ?, 'inbox', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'spooled', ?, ?, ?)`,
	);
	const fts = db.prepare("INSERT INTO messages_fts (owner, subject, addresses, body, message_id) VALUES (?, ?, ?, ?, ?)");
	const owner = ownerToken(o.userId);
	db.exec("BEGIN");
	try {
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
			message.run(
				id,
				o.customerId,
				o.domainId,
				o.userId,
				sender,
				o.address,
				from,
				o.address,
				subject,
				`<${id}@example.org>`,
				at,
				at,
				1_000 + Math.floor(random() * 40_000),
				randomBytes(32).toString("hex"),
				`c/${o.customerId}/m/${id}.eml`,
				random() < 0.1 ? 1 : 0,
				random() < 0.5 ? 1 : 0,
				at,
				at,
				body.slice(0, 160),
			);
			fts.run(owner, subject, `${from} ${o.address}`, body, id);
		}
		db.exec("COMMIT");
	} catch (err) {
		db.exec("ROLLBACK");
		throw err;
	} finally {
		db.close();
	}
	return { ids, rare };
}
