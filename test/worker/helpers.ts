import { env, SELF } from "cloudflare:test";
import { openDb } from "../../src/db/client";
import { customers, domains, users } from "../../src/db/schema";
import { mailboxIndex } from "../../src/domain/mailbox-index";
import worker from "../../src/index";
import { newId } from "../../src/lib/ids";
import { hashPassword, paramsFor } from "../../src/lib/password";
import { seal } from "../../src/lib/secret-box";
import { accountCodeHash, newRecoveryCodes, RECOVERY_CODES_EXPIRE_AT } from "../../src/lib/signin-codes";
import { newTotpSecret } from "../../src/lib/totp";

export const PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;
/** The demo password's hash, computed once per test file (scrypt is slow on purpose). */
const demoPasswordHash = () => {
	passwordHash ??= hashPassword(PASSWORD, paramsFor(env));
	return passwordHash;
};

export interface Tenant {
	customerId: string;
	domainId: string;
	domain: string;
	alice: { id: string; email: string };
	bob: { id: string; email: string };
}

/** A fresh customer with its own domain and two users, so tests never share a mailbox. */
export async function createTenant(
	options: { domain?: string; unknownRecipients?: "reject" | "accept"; maxMessageBytes?: number } = {},
): Promise<Tenant> {
	const db = openDb(env.DB);
	const tag = crypto.randomUUID().slice(0, 8);
	const domain = options.domain ?? `t${tag}.test`;
	const customerId = newId();
	const domainId = newId();
	const alice = { id: newId(), email: `alice@${domain}` };
	const bob = { id: newId(), email: `bob@${domain}` };
	const hash = await demoPasswordHash();
	await db.batch([
		db.insert(customers).values({ id: customerId, name: `Customer ${tag}` }),
		db.insert(domains).values({
			id: domainId,
			customerId,
			name: domain,
			displayName: domain,
			// Verified, as a domain in use is: mail for an unverified domain is deferred (451 4.7.1).
			verifiedAt: Date.now(),
			unknownRecipients: options.unknownRecipients ?? "reject",
			...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
		}),
		db.insert(users).values([
			{ id: alice.id, customerId, email: alice.email, displayName: "Alice", passwordHash: hash },
			{ id: bob.id, customerId, email: bob.email, displayName: "Bob", passwordHash: hash },
		]),
	]);
	return { customerId, domainId, domain, alice, bob };
}

export interface Delivery {
	rejected: string | null;
}

/** Builds the message object Email Routing hands to email(), from raw bytes. */
export function inbound(from: string, to: string, raw: Uint8Array | string) {
	const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
	const state = { rejected: null as string | null };
	const message = {
		from,
		to,
		raw: new Blob([bytes]).stream(),
		rawSize: bytes.byteLength,
		headers: new Headers(),
		setReject(reason: string) {
			state.rejected = reason;
		},
		forward: async () => {
			throw new Error("forward is not used");
		},
		reply: async () => {
			throw new Error("reply is not used");
		},
		canBeForwarded: false,
	};
	return { message: message as unknown as ForwardableEmailMessage, state };
}

/** Runs the real email handler, as Email Routing would, and reports its verdict. */
export async function deliver(from: string, to: string, raw: Uint8Array | string, withEnv: Env = env): Promise<Delivery> {
	const { message, state } = inbound(from, to, raw);
	await worker.email(message, withEnv);
	return state;
}

export function simpleMessage(subject: string, body = "Hello.\r\n", extraHeaders: string[] = []): string {
	const headers = [
		"From: Sender <sender@example.org>",
		"To: someone@example.com",
		`Subject: ${subject}`,
		"Date: Fri, 27 Nov 2026 10:00:00 +0000",
		`Message-ID: <${crypto.randomUUID()}@example.org>`,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		...extraHeaders,
	];
	return `${headers.join("\r\n")}\r\n\r\n${body}`;
}

/**
 * Signs in through POST /api/session and returns the session cookie. An account whose role
 * needs a second factor (partners, operators, a company's administrators) gets one set up first,
 * as its owner would have, and finishes with a fresh recovery code: the real second step,
 * however often a test signs the account in (an authenticator code works once per 30 seconds).
 */
export async function signIn(email: string, password = PASSWORD, origin = "http://localhost"): Promise<string> {
	const needsFactor = await env.DB.prepare(
		`SELECT u.id FROM users u LEFT JOIN customers c ON c.id = u.customer_id
		 WHERE u.email = ? AND (u.role IN ('partner_admin', 'operator') OR (u.role = 'customer_admin' AND c.require_admin_second_factor))`,
	)
		.bind(email)
		.first<{ id: string }>();
	const recoveryCode = needsFactor ? await withRecoveryCode(needsFactor.id) : null;
	const post = (path: string, body: unknown, cookie = "") =>
		SELF.fetch(`${origin}/api/session${path}`, {
			method: "POST",
			headers: { "Content-Type": "application/json", Origin: origin, Cookie: cookie },
			body: JSON.stringify(body),
		});
	let res = await post("", { email, password });
	if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	if (recoveryCode) {
		const challenge = (res.headers.getSetCookie().find((c) => c.startsWith("ei_challenge=")) ?? "").split(";")[0] as string;
		res = await post("/second-factor", { recoveryCode }, challenge);
		if (res.status !== 200) throw new Error(`second factor failed: ${res.status} ${await res.text()}`);
	}
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ei_session=")) ?? "";
	return cookie.split(";")[0] as string;
}

/** The account has an authenticator (set up if it had none) and one more unused recovery code: this one. */
async function withRecoveryCode(userId: string): Promise<string> {
	const key = (env as Env).CREDENTIALS_KEY as string;
	const code = `${newRecoveryCodes()[0]}`;
	const hash = await accountCodeHash(key, "recovery codes", userId, code);
	const secret = await seal(key, newTotpSecret(), `totp:${userId}`);
	await env.DB.batch([
		env.DB.prepare(
			"INSERT INTO second_factors (user_id, totp_secret, enabled_at, updated_at) VALUES (?1, ?2, ?3, ?3) ON CONFLICT (user_id) DO NOTHING",
		).bind(userId, secret, Date.now()),
		env.DB.prepare("INSERT INTO user_tokens (id, user_id, purpose, expires_at, created_at) VALUES (?, ?, 'recovery-code', ?, ?)").bind(
			hash,
			userId,
			RECOVERY_CODES_EXPIRE_AT,
			Date.now(),
		),
	]);
	return code;
}

export async function api(path: string, cookie: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set("Cookie", cookie);
	return SELF.fetch(`http://localhost/api${path}`, { ...init, headers });
}

/** The real D1 binding, except that batch() fails: storage going away mid-step. */
export function failingBatches(message: string): D1Database {
	return new Proxy(env.DB, {
		get(target, prop) {
			if (prop === "batch") return async () => Promise.reject(new Error(message));
			const value = Reflect.get(target, prop);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
}

/** Adds a customer admin to the tenant and returns a signed-in session cookie. */
export async function signInAdmin(t: Tenant): Promise<string> {
	const email = `admin@${t.domain}`;
	await env.DB.prepare("INSERT INTO users (id, customer_id, email, role, password_hash) VALUES (?, ?, ?, 'customer_admin', ?)")
		.bind(newId(), t.customerId, email, await demoPasswordHash())
		.run();
	return signIn(email);
}

/**
 * `n` messages already in the user's Emergency Inbox (held, spooled, unread), written in one
 * D1 batch: for tests that need many messages and not the ingest path that stores them.
 */
export async function seedHeldMessages(t: Tenant, user: { id: string; email: string }, n: number): Promise<string[]> {
	const now = Date.now();
	const ids = Array.from({ length: n }, () => newId(now));
	const insert = env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, status, held_at, updated_at)
		 VALUES (?, ?, ?, ?, 'x@example.org', ?, ?, ?, 10, ?, 'spooled', ?, ?)`,
	);
	await env.DB.batch(
		ids.map((id, i) => insert.bind(id, t.customerId, t.domainId, user.id, user.email, `seeded ${i}`, now, crypto.randomUUID(), now, now)),
	);
	return ids;
}

/**
 * `count` messages of one tenant held and then delivered a second ago (its held retention set
 * to 0: due at once), each with a body and an entry in alice's search index.
 */
export async function seedDelivered(t: Tenant, count: number): Promise<string[]> {
	const at = Date.now() - 1000;
	const ids = Array.from({ length: count }, () => newId(at));
	await env.DB.prepare("UPDATE domains SET retain_held_seconds = 0 WHERE id = ?").bind(t.domainId).run();
	await env.DB.prepare(
		`INSERT INTO messages (id, customer_id, domain_id, user_id, envelope_from, envelope_to, subject, received_at, size, sha256, r2_key, status, held_at, delivered_at, updated_at)
		 SELECT value, ?1, ?2, ?3, 'x@example.org', ?4, 'bulk ' || key, ?5, 10, value, 'c/' || ?1 || '/m/' || value || '.eml', 'delivered', ?5, ?5, ?5
		 FROM json_each(?6)`,
	)
		.bind(t.customerId, t.domainId, t.alice.id, t.alice.email, at, JSON.stringify(ids))
		.run();
	await mailboxIndex(env, t.alice.id).index(ids.map((id) => ({ messageId: id, subject: "bulk", addresses: "", body: "bulkword" })));
	await putAll(ids.map((id) => `c/${t.customerId}/m/${id}.eml`));
	return ids;
}

export async function putAll(keys: string[]) {
	for (let i = 0; i < keys.length; i += 100)
		await Promise.all(keys.slice(i, i + 100).map((k) => env.MAIL.put(k, "Subject: x\r\n\r\nx\r\n")));
}

/** How many R2 objects there are under a prefix. */
export async function objectsUnder(prefix: string): Promise<number> {
	let n = 0;
	let cursor: string | undefined;
	do {
		const page = await env.MAIL.list({ prefix, cursor });
		n += page.objects.length;
		cursor = page.truncated ? page.cursor : undefined;
	} while (cursor);
	return n;
}
