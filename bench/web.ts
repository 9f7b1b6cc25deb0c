// npm run bench:web — the web app's weight and speed, each beside a floor measured in the same run.
//   initial JS/CSS: gzip -9 of what dist/client/index.html loads before any lazy chunk;
//                   floor: a Solid + router "hello" built the same way (the framework alone)
//   mailbox API:    p50/p95 of the first page, a page deep in the mailbox (by cursor) and a
//                   search, with 100,000 messages in alice's mailbox, through `wrangler dev`;
//                   floor: the same SQL against the same SQLite file in plain Node (node:sqlite)
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
import { d1File, ownerToken, seedMailbox } from "./lib/seed-mailbox";
import { percentile, type Timing, time } from "./lib/stats";

const MESSAGES = Number(process.env.BENCH_WEB_MESSAGES || 100_000);
const REQUESTS = Number(process.env.BENCH_WEB_N || 200);
const WARMUP = 20;
const PAGE_LOADS = 10;
const RARE_EVERY = 100;
const RARE_WORD = "zeppelin";
const USER = { id: "acme-alice", email: "alice@acme.test", customerId: "acme", domainId: "acme-test" };
const TARGET = { jsKb: 60, listP95: 30, searchP95: 100, firstListMs: 1000 };
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

// The statements src/db/mailbox.ts has drizzle build (listFolder, searchFolder), written out.
const COLUMNS =
	"m.id, m.folder, m.from_header, m.to_header, m.subject, m.snippet, m.sent_at, m.received_at, m.size, m.has_attachments, m.seen, m.status, m.parse_error";
const SCOPE = "m.user_id = ? AND m.folder = 'inbox' AND m.held_at IS NOT NULL";
const SQL = {
	first: `SELECT ${COLUMNS} FROM messages m WHERE ${SCOPE} ORDER BY m.id DESC LIMIT ?`,
	deep: `SELECT ${COLUMNS} FROM messages m WHERE ${SCOPE} AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
	search: `SELECT ${COLUMNS}, messages_fts.rowid FROM messages_fts INNER JOIN messages m ON m.id = messages_fts.message_id WHERE messages_fts MATCH ? AND ${SCOPE} ORDER BY messages_fts.rowid DESC LIMIT ?`,
};

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
const match = `owner:${ownerToken(USER.id)} AND ("${RARE_WORD}"*)`;

// Floor first, while nothing else has the file open.
const sqlFloor: Record<keyof typeof SQL, Timing> = { first: { p50: 0, p95: 0 }, deep: { p50: 0, p95: 0 }, search: { p50: 0, p95: 0 } };
const floorIds: Record<keyof typeof SQL, string[]> = { first: [], deep: [], search: [] };
const plans: string[] = [];
{
	const db = new DatabaseSync(file, { readOnly: true });
	const args: Record<keyof typeof SQL, (string | number)[]> = {
		first: [USER.id, 51],
		deep: [USER.id, deepCursor, 51],
		search: [match, USER.id, 51],
	};
	for (const key of Object.keys(SQL) as (keyof typeof SQL)[]) {
		const stmt = db.prepare(SQL[key]);
		sqlFloor[key] = await time(REQUESTS, WARMUP, () => stmt.all(...args[key]));
		floorIds[key] = (stmt.all(...args[key]) as { id: string }[]).slice(0, 50).map((r) => r.id);
		const plan = db.prepare(`EXPLAIN QUERY PLAN ${SQL[key]}`).all(...args[key]) as { detail: string }[];
		plans.push(`${key}: ${plan.map((p) => p.detail).join(" | ")}`);
	}
	db.close();
}

const service = await startLocal({ port: await freePort(), smtpPort: await freePort(), stateDir });
const results: Record<string, unknown> = {};
try {
	const login = await fetch(`${service.url}/api/session`, {
		method: "POST",
		headers: { "Content-Type": "application/json" },
		body: JSON.stringify({ email: USER.email, password: DEMO_PASSWORD }),
	});
	if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
	const cookie = (login.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
	const paths: Record<keyof typeof SQL, string> = {
		first: "/api/mailbox/messages?limit=50",
		deep: `/api/mailbox/messages?limit=50&cursor=${deepCursor}`,
		search: `/api/mailbox/messages?limit=50&q=${RARE_WORD}`,
	};
	const api: Record<keyof typeof SQL, Timing> = { first: { p50: 0, p95: 0 }, deep: { p50: 0, p95: 0 }, search: { p50: 0, p95: 0 } };
	for (const key of Object.keys(paths) as (keyof typeof SQL)[]) {
		const get = async () => {
			const res = await fetch(`${service.url}${paths[key]}`, { headers: { Cookie: cookie } });
			if (res.status !== 200) throw new Error(`${paths[key]} answered ${res.status}: ${await res.text()}`);
			return (await res.json()) as { messages: { id: string }[] };
		};
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
		`floors: a Solid + @solidjs/router one-route app (size); node:sqlite on the same file (API); index.html + CSS with JS off (page)`,
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
