// CSV import of users (Company settings → Users → Import, and the recipient-discovery page):
// header `email,name,role,alternate_email,aliases`, only email required. Every row is checked
// like the Add user form, against the company's domains, the addresses already in use anywhere,
// and the rest of the file; the valid rows are created together and the others come back with
// their line (as a spreadsheet numbers rows: the header is line 1).
import Papa from "papaparse";
import { companyDomains, takenAddresses } from "../db/admin-users";
import type { Db } from "../db/client";
import { newId } from "../lib/ids";
import { problem } from "./problem";
import { alternateAddress, companyAddress, companyRole, displayName } from "./user-input";
import type { CompanyRole, ImportResult } from "./user-types";

/** Limits that keep one request inside a Worker's CPU and D1's statement sizes; a larger directory is split into files. */
export const MAX_CSV_BYTES = 1024 * 1024;
export const MAX_CSV_ROWS = 5000;
const MAX_ALIASES_PER_ROW = 20;
/** Rows per INSERT … SELECT FROM json_each(?): one bound parameter, well under D1's 2 MB value limit. */
const ROWS_PER_STATEMENT = 250;

const COLUMNS = ["email", "name", "role", "alternate_email", "aliases"] as const;
type Column = (typeof COLUMNS)[number];
const SYNONYMS: Record<string, Column> = {
	e_mail: "email",
	email_address: "email",
	display_name: "name",
	alternate: "alternate_email",
	alternate_address: "alternate_email",
	alias: "aliases",
};

export interface PlannedUser {
	line: number;
	email: string;
	displayName: string;
	role: CompanyRole;
	alternateEmail: string | null;
	aliases: string[];
}

export type RowError = ImportResult["errors"][number];

const tooLarge = (detail: string) => problem(413, "CSV too large", detail);

/** The delimiter the header uses: a spreadsheet set to a European locale writes semicolons. */
function delimiterOf(text: string): string {
	const header = text.slice(0, text.search(/\r?\n|$/));
	return header.includes(",") ? "," : header.includes(";") ? ";" : header.includes("\t") ? "\t" : ",";
}

/** Parses and checks the file on its own (syntax, domains, duplicates inside it); addresses in use are checked by planImport. */
export function parseUsersCsv(csv: string, domains: string[]): { rows: PlannedUser[]; errors: RowError[] } {
	if (new TextEncoder().encode(csv).byteLength > MAX_CSV_BYTES)
		throw tooLarge(`A file may be at most 1 MiB (and ${MAX_CSV_ROWS.toLocaleString("en")} users); split it into smaller files.`);
	const text = csv.replace(/^\uFEFF/, "");
	const parsed = Papa.parse<string[]>(text, { delimiter: delimiterOf(text), skipEmptyLines: false });
	const records = parsed.data;
	const blank = (r: string[]) => r.every((cell) => cell.trim() === "");
	const headerAt = records.findIndex((r) => !blank(r));
	if (headerAt < 0) throw problem(422, "Empty CSV", `The file has no header line. Start it with: ${COLUMNS.join(",")}`);

	const header = (records[headerAt] ?? []).map((h) => {
		const name = h
			.trim()
			.toLowerCase()
			.replace(/[\s-]+/g, "_");
		return (SYNONYMS[name] ?? name) as Column;
	});
	const unknown = header.filter((h) => !COLUMNS.includes(h));
	if (unknown.length)
		throw problem(
			422,
			"Unknown CSV columns",
			`Line ${headerAt + 1}: unknown column ${unknown.map((u) => `"${u}"`).join(", ")}; the columns are ${COLUMNS.join(",")}.`,
		);
	if (!header.includes("email"))
		throw problem(422, "No email column", `Line ${headerAt + 1}: the header must name an email column (${COLUMNS.join(",")}).`);
	const twice = header.find((h, i) => header.indexOf(h) !== i);
	if (twice) throw problem(422, "Repeated CSV column", `Line ${headerAt + 1}: the column "${twice}" appears twice.`);

	const data = records.map((cells, index) => ({ cells, line: index + 1 })).filter((r, index) => index > headerAt && !blank(r.cells));
	if (data.length > MAX_CSV_ROWS)
		throw tooLarge(
			`This file has ${data.length.toLocaleString("en")} users; at most ${MAX_CSV_ROWS.toLocaleString("en")} per file. Split it into smaller files.`,
		);
	const syntax = new Map<number, string>();
	for (const e of parsed.errors) if (e.row !== undefined) syntax.set(e.row + 1, `CSV syntax: ${e.message}`);

	const rows: PlannedUser[] = [];
	const errors: RowError[] = [];
	/** Every address the file claims so far (logins and aliases), with its line. */
	const seen = new Map<string, number>();
	for (const { cells, line } of data) {
		const cell = (c: Column) => {
			const i = header.indexOf(c);
			return i < 0 ? "" : (cells[i] ?? "").trim();
		};
		const problems: string[] = [];
		const bad = syntax.get(line);
		if (bad) problems.push(bad);
		if (cells.length > header.length && cells.slice(header.length).some((v) => v.trim() !== ""))
			problems.push(`has ${cells.length} fields, the header ${header.length}`);
		const claim = (address: string, what: string) => {
			const first = seen.get(address);
			if (first !== undefined) problems.push(`${what} ${address} is also on line ${first}`);
			else seen.set(address, line);
		};
		const email = companyAddress(cell("email"), domains);
		if (email.error !== undefined) problems.push(`email ${email.error}`);
		else claim(email.value, "email");
		const name = displayName(cell("name"));
		if (name.error !== undefined) problems.push(`name ${name.error}`);
		const role = companyRole(cell("role"), true);
		if (role.error !== undefined) problems.push(`role ${role.error}`);
		const alternate = alternateAddress(cell("alternate_email"), domains);
		if (alternate.error !== undefined) problems.push(`alternate_email ${alternate.error}`);
		const aliasTexts = cell("aliases")
			.split(/[\s;,]+/)
			.filter(Boolean);
		const aliases: string[] = [];
		if (aliasTexts.length > MAX_ALIASES_PER_ROW) problems.push(`aliases: at most ${MAX_ALIASES_PER_ROW} per user`);
		for (const a of aliasTexts.slice(0, MAX_ALIASES_PER_ROW)) {
			const alias = companyAddress(a, domains);
			if (alias.error !== undefined) problems.push(`alias ${alias.error}`);
			else if (alias.value === email.value) problems.push(`alias ${alias.value} is the user's own address`);
			else if (!aliases.includes(alias.value)) {
				claim(alias.value, "alias");
				aliases.push(alias.value);
			}
		}
		const shown = email.value ?? cell("email");
		if (problems.length) errors.push({ line, email: shown, error: problems.join("; ") });
		else
			rows.push({
				line,
				email: email.value as string,
				displayName: name.value as string,
				role: role.value as CompanyRole,
				alternateEmail: alternate.value ?? null,
				aliases,
			});
	}
	return { rows, errors };
}

/** The file checked against the company's domains and every address already in use. */
export async function planImport(db: Db, customerId: string, csv: string): Promise<{ rows: PlannedUser[]; errors: RowError[] }> {
	const { rows, errors } = parseUsersCsv(csv, await companyDomains(db, customerId));
	const taken = await takenAddresses(
		db,
		rows.flatMap((r) => [r.email, ...r.aliases]),
	);
	const ok: PlannedUser[] = [];
	for (const r of rows) {
		const used = [r.email, ...r.aliases].filter((a) => taken.has(a));
		if (used.length === 0) ok.push(r);
		else
			errors.push({
				line: r.line,
				email: r.email,
				error: used.map((a) => `${a} is already in use (by ${taken.get(a) === "alias" ? "an" : "a"} ${taken.get(a)})`).join("; "),
			});
	}
	errors.sort((a, b) => a.line - b.line);
	return { rows: ok, errors };
}

/**
 * Creates the planned users, their aliases and one audit event each, in one D1 batch. A row
 * whose address was taken by someone else since planImport is skipped by the statements
 * themselves (unique indexes, NOT EXISTS), and reported as an error.
 */
export async function createPlanned(
	db: Db,
	customerId: string,
	actorUserId: string,
	rows: PlannedUser[],
	now: number,
): Promise<{ created: ImportResult["created"]; errors: RowError[] }> {
	const planned = rows.map((r) => ({
		...r,
		id: newId(now),
		eventId: newId(now),
		aliasRows: r.aliases.map((address) => ({ id: newId(now), eventId: newId(now), address })),
	}));
	const d1 = db.$client;
	const statements: D1PreparedStatement[] = [];
	for (let i = 0; i < planned.length; i += ROWS_PER_STATEMENT) {
		const chunk = planned.slice(i, i + ROWS_PER_STATEMENT);
		const people = JSON.stringify(
			chunk.map((r) => ({
				id: r.id,
				e: r.eventId,
				email: r.email,
				name: r.displayName,
				role: r.role,
				alt: r.alternateEmail,
				line: r.line,
			})),
		);
		const aliasJson = JSON.stringify(
			chunk.flatMap((r) => r.aliasRows.map((a) => ({ id: a.id, e: a.eventId, user: r.id, address: a.address }))),
		);
		statements.push(
			d1
				.prepare(
					`INSERT INTO users (id, customer_id, email, display_name, role, alternate_email, created_at)
					SELECT json_extract(j.value, '$.id'), ?1, json_extract(j.value, '$.email'), json_extract(j.value, '$.name'), json_extract(j.value, '$.role'), json_extract(j.value, '$.alt'), ?2
					FROM json_each(?3) AS j
					WHERE NOT EXISTS (SELECT 1 FROM aliases WHERE address = json_extract(j.value, '$.email'))
						AND NOT EXISTS (SELECT 1 FROM groups WHERE address = json_extract(j.value, '$.email'))
					ON CONFLICT DO NOTHING`,
				)
				.bind(customerId, now, people),
			d1
				.prepare(
					`INSERT INTO aliases (id, customer_id, user_id, address, created_at)
					SELECT json_extract(j.value, '$.id'), ?1, json_extract(j.value, '$.user'), json_extract(j.value, '$.address'), ?2
					FROM json_each(?3) AS j
					WHERE EXISTS (SELECT 1 FROM users WHERE id = json_extract(j.value, '$.user'))
						AND NOT EXISTS (SELECT 1 FROM users WHERE email = json_extract(j.value, '$.address'))
						AND NOT EXISTS (SELECT 1 FROM groups WHERE address = json_extract(j.value, '$.address'))
					ON CONFLICT DO NOTHING`,
				)
				.bind(customerId, now, aliasJson),
			d1
				.prepare(
					`INSERT INTO events (id, customer_id, actor_user_id, kind, detail, created_at)
					SELECT json_extract(j.value, '$.e'), ?1, ?2, 'user.created',
						json_object('email', u.email, 'role', u.role, 'alternateEmail', u.alternate_email, 'source', 'import', 'line', json_extract(j.value, '$.line')), ?3
					FROM json_each(?4) AS j JOIN users AS u ON u.id = json_extract(j.value, '$.id')`,
				)
				.bind(customerId, actorUserId, now, people),
			d1
				.prepare(
					`INSERT INTO events (id, customer_id, actor_user_id, kind, detail, created_at)
					SELECT json_extract(j.value, '$.e'), ?1, ?2, 'alias.added', json_object('email', u.email, 'alias', a.address, 'source', 'import'), ?3
					FROM json_each(?4) AS j JOIN aliases AS a ON a.id = json_extract(j.value, '$.id') JOIN users AS u ON u.id = a.user_id`,
				)
				.bind(customerId, actorUserId, now, aliasJson),
		);
	}
	if (statements.length) await d1.batch(statements);
	const made = new Set<string>();
	for (let i = 0; i < planned.length; i += ROWS_PER_STATEMENT) {
		const ids = JSON.stringify(planned.slice(i, i + ROWS_PER_STATEMENT).map((r) => r.id));
		const found = await d1.prepare("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(?1))").bind(ids).all<{ id: string }>();
		for (const r of found.results) made.add(r.id);
	}
	const created: ImportResult["created"] = [];
	const errors: RowError[] = [];
	for (const r of planned) {
		if (made.has(r.id)) created.push({ line: r.line, id: r.id, email: r.email });
		else errors.push({ line: r.line, email: r.email, error: `${r.email} was taken by someone else while importing` });
	}
	return { created, errors };
}
