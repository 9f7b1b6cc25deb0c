// npm run bench:web — the web app's weight and speed, each beside a floor measured in the same run.
//   initial JS/CSS: gzip -9 of what dist/client/index.html loads before any lazy chunk;
//                   floor: a Solid + router "hello" built the same way (the framework alone)
//   mailbox API:    p50/p95 of the first page, a page deep in the mailbox (by cursor) and a
//                   search, with 100,000 messages in alice's mailbox, through `wrangler dev`;
//                   floor: the same SQL against the same SQLite files in plain Node (node:sqlite):
//                   for a list, D1's statement on D1's file; for a search, the sum of the two
//                   statements it makes, the FTS query on the mailbox object's own file
//                   (MailboxIndex.search) and then the lookup of those ids on D1's file (summariesOf)
//   first list:     navigation to the first rendered message row in headless Chromium (signed in,
//                   cold cache); floor: the same URL with JavaScript off (index.html + CSS: the
//                   static shell every visit pays before the app can start)
// Machines here are shared and noisy: read the ratio to the floor, not the absolute numbers.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { build } from "vite";
import solid from "vite-plugin-solid";
import { DEMO_PASSWORD, demoSeedSql, GLOBEX_PORT } from "../scripts/lib/demo-tenant";
import { ROOT, startLocal } from "../scripts/lib/local-service";
import { freePort } from "../scripts/lib/ports";
import { objectPath } from "./lib/scale-seed";
import { d1File, seedMailbox, seedMailboxIndex } from "./lib/seed-mailbox";
import { percentile, type Timing, time } from "./lib/stats";

const MESSAGES = Number(process.env.BENCH_WEB_MESSAGES || 100_000);
const REQUESTS = Number(process.env.BENCH_WEB_N || 200);
const WARMUP = 20;
const PAGE_LOADS = 10;
const RARE_EVERY = 100;
const RARE_WORD = "zeppelin";
const USER = { id: "acme-alice", email: "alice@acme.test", customerId: "acme", domainId: "acme-test" };
const TARGET = { jsKb: 60, listP95: 30, searchP95: 100, firstListMs: 1000 };
/** As src/api/mailbox.ts SEARCH_BATCH: the hits one search asks of the mailbox object at a time. */
const SEARCH_BATCH = 400;
/** wrangler.toml's name: miniflare keeps the mailbox objects under v3/do/<name>-MailboxIndex. */
const SCRIPT = /^name\s*=\s*"([^"]+)"/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1] ?? "emergency-inbox";
const run = promisify(execFile);

// --- initial JS and CSS ------------------------------------------------------------------

interface Weight {
	js: { files: string[]; gzip: number; raw: number };
	css: { files: string[]; gzip: number; raw: number };
}

/**
 * What index.html makes the browser load at once: its module scripts and modulepreloads with
 * their static imports (not `import()`: lazy chunks load later), and its stylesheets.
 */
function initialWeight(dir: string): Weight {
	const html = readFileSync(join(dir, "index.html"), "utf8");
	const tags = [...html.matchAll(/<(script|link)\b([^>]*)>/gi)].map(([, tag, attrs = ""]) => {
		const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, "i").exec(attrs)?.[1];
		return { tag: tag?.toLowerCase(), src: attr("src"), href: attr("href"), rel: attr("rel")?.toLowerCase() };
	});
	const js = new Set<string>();
	const queue = tags.flatMap((t) => (t.tag === "script" && t.src ? [t.src] : t.rel === "modulepreload" && t.href ? [t.href] : []));
	for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
		if (js.has(path) || /^(https?:)?\/\//.test(path)) continue;
		js.add(path);
		const code = readFileSync(join(dir, path), "utf8");
		// Static imports in minified output: `import"./x.js"`, `from"./x.js"` (never `import("./x.js")`).
		for (const m of code.matchAll(/\b(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g))
			queue.push(new URL(m[1] as string, `http://x${path}`).pathname);
	}
	const css = tags.filter((t) => t.rel === "stylesheet" && t.href).map((t) => t.href as string);
	const sum = (files: string[]) =>
		files.reduce(
			(acc, f) => {
				const bytes = readFileSync(join(dir, f));
				return { raw: acc.raw + bytes.length, gzip: acc.gzip + gzipSync(bytes, { level: 9 }).length };
			},
			{ raw: 0, gzip: 0 },
		);
	return { js: { files: [...js], ...sum([...js]) }, css: { files: css, ...sum(css) } };
}

/** The framework alone: Solid's renderer and router with one route, built by the same Vite. */
async function floorWeight(): Promise<Weight> {
	// Under node_modules so the entry resolves solid-js and @solidjs/router from this project.
	const root = join(ROOT, "node_modules", ".cache", "bench-web-floor");
	mkdirSync(root, { recursive: true });
	writeFileSync(
		join(root, "index.html"),
		`<!doctype html><html><head><script type="module" src="./main.tsx"></script></head><body><div id="app"></div></body></html>`,
	);
	writeFileSync(
		join(root, "main.tsx"),
		`import { Route, Router } from "@solidjs/router";\nimport { render } from "solid-js/web";\nrender(() => <Router><Route path="/" component={() => <p>Hello</p>} /></Router>, document.getElementById("app") as HTMLElement);\n`,
	);
	await build({
		root,
		configFile: false,
		logLevel: "silent",
		plugins: [solid()],
		build: { outDir: join(root, "dist"), emptyOutDir: true },
	});
	return initialWeight(join(root, "dist"));
}

// --- the mailbox API ---------------------------------------------------------------------

// The statements src/db/mailbox.ts has drizzle build (listFolder; summariesOf for a search, which
// looks in every folder unless told otherwise), written out.
const COLUMNS =
	"m.id, m.folder, m.from_header, m.to_header, m.subject, m.snippet, m.sent_at, m.received_at, m.size, m.has_attachments, m.seen, m.status, m.parse_error";
const SCOPE = "m.user_id = ? AND m.folder = 'inbox' AND m.held_at IS NOT NULL";
const SQL = {
	first: `SELECT ${COLUMNS} FROM messages m WHERE ${SCOPE} ORDER BY m.id DESC LIMIT ?`,
	deep: `SELECT ${COLUMNS} FROM messages m WHERE ${SCOPE} AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
	lookup: `SELECT ${COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?)) AND +m.user_id = ? AND m.held_at IS NOT NULL`,
};
// The statement src/domain/mailbox-index.ts MailboxIndex.search runs in the mailbox's object.
const INDEX_SQL = `SELECT docs.message_id AS messageId, docs.doc AS doc FROM search JOIN docs ON docs.doc = search.rowid
	WHERE search MATCH ? AND search.rowid < ? ORDER BY search.rowid DESC LIMIT ?`;
type Endpoint = "first" | "deep" | "search";

// --- main ----------------------------------------------------------------------------------

const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? "PASS" : "over target");

const dist = join(ROOT, "dist/client");
if (!existsSync(join(dist, "index.html"))) {
	console.log("building the web app (dist/client)…");
	await run(join(ROOT, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: ROOT });
}
const weight = initialWeight(dist);
const floorW = await floorWeight();
console.log(`initial JS: ${weight.js.files.join(", ")}; CSS: ${weight.css.files.join(", ")}`);

const stateDir = mkdtempSync(join(tmpdir(), "ei-bench-web-"));
console.log(`seeding ${MESSAGES.toLocaleString("en")} messages for ${USER.email} in ${stateDir}…`);
await run(join(ROOT, "node_modules/.bin/wrangler"), ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], {
	cwd: ROOT,
	env: { ...process.env, CI: "1" },
});
const file = d1File(stateDir);
{
	// The demo tenant first: the message rows refer to its customer, domain and user.
	const db = new DatabaseSync(file);
	db.exec(await demoSeedSql(GLOBEX_PORT));
	db.close();
}
const seedStart = performance.now();
const seeded = seedMailbox(file, {
	count: MESSAGES,
	customerId: USER.customerId,
	domainId: USER.domainId,
	userId: USER.id,
	address: USER.email,
	rareEvery: RARE_EVERY,
	rareWord: RARE_WORD,
	days: 30,
});
console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; "${RARE_WORD}" in ${seeded.rare} messages`);
const deepCursor = seeded.ids[Math.floor(seeded.ids.length * 0.1)] as string;
// As matchQuery() in src/domain/mailbox-index.ts makes of the one word typed.
const match = `"${RARE_WORD}"*`;
const paths: Record<Endpoint, string> = {
	first: "/api/mailbox/messages?limit=50",
	deep: `/api/mailbox/messages?limit=50&cursor=${deepCursor}`,
	search: `/api/mailbox/messages?limit=50&q=${RARE_WORD}`,
};

async function signIn(url: string): Promise<string> {
	const login = await fetch(`${url}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: USER.email, password: DEMO_PASSWORD }),
	});
	if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
	return (login.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
}

async function getPage(url: string, cookie: string, key: Endpoint): Promise<{ messages: { id: string }[] }> {
	const res = await fetch(`${url}${paths[key]}`, { headers: { Cookie: cookie } });
	if (res.status !== 200) throw new Error(`${paths[key]} answered ${res.status}: ${await res.text()}`);
	return (await res.json()) as { messages: { id: string }[] };
}

// The mailbox's index lives in its own MailboxIndex object (idFromName(user id)), whose file
// miniflare names by the object's id: one search through the service creates the object and
// its schema, then, the service stopped, the index goes straight into that file.
{
	const service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
	try {
		const found = await getPage(service.url, await signIn(service.url), "search");
		if (found.messages.length !== 0) throw new Error(`an empty index found ${found.messages.length} messages`);
	} finally {
		await service.stop();
	}
}
const indexFile = objectPath(stateDir, SCRIPT, "MailboxIndex", USER.id);
const indexStart = performance.now();
const indexed = seedMailboxIndex(indexFile, seeded.entries);
if (indexed !== MESSAGES) throw new Error(`indexed ${indexed} of ${MESSAGES} messages`);
console.log(`indexed in ${((performance.now() - indexStart) / 1000).toFixed(1)} s into ${indexFile}`);

// Floor first, while nothing else has the files open.
const sqlFloor: Record<Endpoint, Timing> = { first: { p50: 0, p95: 0 }, deep: { p50: 0, p95: 0 }, search: { p50: 0, p95: 0 } };
/** The search floor's two statements each, for the report (their sum per call is sqlFloor.search). */
const searchParts: Record<"index" | "lookup", Timing> = { index: { p50: 0, p95: 0 }, lookup: { p50: 0, p95: 0 } };
const floorIds: Record<Endpoint, string[]> = { first: [], deep: [], search: [] };
const plans: string[] = [];
{
	const db = new DatabaseSync(file, { readOnly: true });
	const index = new DatabaseSync(indexFile, { readOnly: true });
	const plan = (on: DatabaseSync, label: string, sql: string, args: (string | number)[]) => {
		const rows = on.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
		plans.push(`${label}: ${rows.map((p) => p.detail).join(" | ")}`);
	};
	const args: Record<"first" | "deep", (string | number)[]> = { first: [USER.id, 51], deep: [USER.id, deepCursor, 51] };
	for (const key of ["first", "deep"] as const) {
		const stmt = db.prepare(SQL[key]);
		sqlFloor[key] = await time(REQUESTS, WARMUP, () => stmt.all(...args[key]));
		floorIds[key] = (stmt.all(...args[key]) as { id: string }[]).slice(0, 50).map((r) => r.id);
		plan(db, key, SQL[key], args[key]);
	}
	// A search's first round, as searchMailbox makes it: SEARCH_BATCH hits from the object, newest
	// first, then D1 keeps those of the user's held mail (here all of them: more than a page).
	const hitsStmt = index.prepare(INDEX_SQL);
	const lookupStmt = db.prepare(SQL.lookup);
	const hitArgs = [match, Number.MAX_SAFE_INTEGER, SEARCH_BATCH];
	const hits = () => hitsStmt.all(...hitArgs) as { messageId: string; doc: number }[];
	const lookup = (ids: string[]) => lookupStmt.all(JSON.stringify(ids), USER.id) as { id: string }[];
	const firstHits = hits();
	const ids = firstHits.map((h) => h.messageId);
	if (firstHits.length !== Math.min(SEARCH_BATCH, seeded.rare))
		throw new Error(`the index found ${firstHits.length} of ${seeded.rare} "${RARE_WORD}" messages`);
	sqlFloor.search = await time(REQUESTS, WARMUP, () => lookup(hits().map((h) => h.messageId)));
	searchParts.index = await time(REQUESTS, WARMUP, hits);
	searchParts.lookup = await time(REQUESTS, WARMUP, () => lookup(ids));
	// In the order of the hits, as summariesOf returns them.
	const found = new Set(lookup(ids).map((r) => r.id));
	floorIds.search = ids.filter((id) => found.has(id)).slice(0, 50);
	plan(index, "search, index", INDEX_SQL, hitArgs);
	plan(db, "search, lookup", SQL.lookup, [JSON.stringify(ids), USER.id]);
	index.close();
	db.close();
}

const service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
const results: Record<string, unknown> = {};
try {
	const cookie = await signIn(service.url);
	const api: Record<Endpoint, Timing> = { first: { p50: 0, p95: 0 }, deep: { p50: 0, p95: 0 }, search: { p50: 0, p95: 0 } };
	for (const key of Object.keys(paths) as Endpoint[]) {
		const get = () => getPage(service.url, cookie, key);
		// Same rows as the floor's SQL, or the comparison means nothing.
		const ids = (await get()).messages.map((m) => m.id);
		if (ids.join() !== floorIds[key].join()) console.warn(`warning: ${key}: the API and the floor SQL return different rows`);
		api[key] = await time(REQUESTS, WARMUP, get);
	}

	// What every API call pays before its own query: HTTP to workerd, the session lookup, JSON.
	const roundTrip = await time(REQUESTS, WARMUP, async () => {
		const res = await fetch(`${service.url}/api/session`, { headers: { Cookie: cookie } });
		if (res.status !== 200) throw new Error(`/api/session answered ${res.status}`);
		await res.arrayBuffer();
	});

	// Time to the first message row, median of PAGE_LOADS cold visits.
	const browser = await chromium.launch({
		executablePath: "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
	});
	const [name = "", value = ""] = cookie.split("=");
	const load = async (javaScriptEnabled: boolean) => {
		const context = await browser.newContext({ javaScriptEnabled });
		await context.addCookies([{ name, value, url: service.url }]);
		const page = await context.newPage();
		let at: number;
		if (javaScriptEnabled) {
			await page.goto(`${service.url}/`, { waitUntil: "commit" });
			// performance.now() counts from the start of the navigation: the in-page time to a visible row.
			const handle = await page.waitForFunction(
				() => {
					const row = document.querySelector('a[href^="/message/"]');
					return row && row.getBoundingClientRect().height > 0 ? performance.now() : 0;
				},
				undefined,
				{ polling: "raf", timeout: 30_000 },
			);
			at = (await handle.jsonValue()) as number;
		} else {
			await page.goto(`${service.url}/`, { waitUntil: "load" });
			at = await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd);
		}
		await context.close();
		return at;
	};
	const median = (xs: number[]) =>
		percentile(
			[...xs].sort((a, b) => a - b),
			50,
		);
	await load(true);
	await load(false);
	const appLoads: number[] = [];
	const shellLoads: number[] = [];
	for (let i = 0; i < PAGE_LOADS; i++) {
		appLoads.push(await load(true));
		shellLoads.push(await load(false));
	}
	await browser.close();
	const firstList = median(appLoads);
	const shell = median(shellLoads);

	const rows: [string, string, string, string, string][] = [
		["initial JS, gzip -9", kb(weight.js.gzip), kb(floorW.js.gzip), `≤ ${TARGET.jsKb} KB`, verdict(weight.js.gzip <= TARGET.jsKb * 1024)],
		["initial CSS, gzip -9", kb(weight.css.gzip), floorW.css.gzip ? kb(floorW.css.gzip) : "—", "—", ""],
		["GET /api/session p50 (per-call cost)", ms(roundTrip.p50), "—", "", ""],
		...(["first", "deep", "search"] as const).flatMap((key): [string, string, string, string, string][] => {
			const label = { first: "list, first page", deep: "list, page after 90%", search: `search "${RARE_WORD}" (1%)` }[key];
			const target = key === "search" ? TARGET.searchP95 : TARGET.listP95;
			return [
				[`${label} p50`, ms(api[key].p50), ms(sqlFloor[key].p50), "", ""],
				[`${label} p95`, ms(api[key].p95), ms(sqlFloor[key].p95), `≤ ${target} ms`, verdict(api[key].p95 <= target)],
			];
		}),
		// The search floor's two parts, timed on their own (floor only: the API's split is not visible).
		["  floor part: index query p50 (object)", "—", ms(searchParts.index.p50), "", ""],
		["  floor part: D1 lookup of hits p50", "—", ms(searchParts.lookup.p50), "", ""],
		["first message row, median", ms(firstList), ms(shell), `≤ ${TARGET.firstListMs} ms`, verdict(firstList <= TARGET.firstListMs)],
	];
	const ratio = (ours: string, floor: string) => {
		const a = Number.parseFloat(ours);
		const b = Number.parseFloat(floor);
		return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : "—";
	};
	console.log("");
	console.log(
		`${"metric".padEnd(38)}${"ours".padStart(11)}${"floor".padStart(11)}${"× floor".padStart(10)}${"target".padStart(12)}  verdict`,
	);
	for (const [label, ours, floor, target, ok] of rows)
		console.log(
			`${label.padEnd(38)}${ours.padStart(11)}${floor.padStart(11)}${ratio(ours, floor).padStart(10)}${target.padStart(12)}  ${ok}`,
		);
	console.log("");
	console.log(
		`floors: a Solid + @solidjs/router one-route app (size); node:sqlite on the same files (API; search: ${SEARCH_BATCH} hits from the mailbox object's file, then their D1 lookup); index.html + CSS with JS off (page)`,
	);
	console.log(
		`${MESSAGES.toLocaleString("en")} messages, ${REQUESTS} sequential requests each after ${WARMUP} warm-up; ${PAGE_LOADS} cold page loads`,
	);
	for (const p of plans) console.log(`query plan ${p}`);

	Object.assign(results, {
		at: new Date().toISOString(),
		messages: MESSAGES,
		requests: REQUESTS,
		weight,
		floorWeight: floorW,
		api,
		sqlFloor,
		searchFloorParts: searchParts,
		sessionRoundTrip: roundTrip,
		firstListMs: { median: firstList, runs: appLoads },
		staticShellMs: { median: shell, runs: shellLoads },
		targets: TARGET,
		plans,
	});
	mkdirSync(join(ROOT, "bench/results"), { recursive: true });
	writeFileSync(join(ROOT, "bench/results/web.json"), JSON.stringify(results, null, 2));
} finally {
	await service.stop();
	rmSync(stateDir, { recursive: true, force: true });
}
