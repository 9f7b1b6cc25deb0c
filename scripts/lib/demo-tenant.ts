// The demo tenant `npm start` seeds. Fixed ids make seeding idempotent: a second run
// updates passwords and settings, never duplicates rows.
import { hashPassword } from "../../src/lib/password";
import { seal } from "../../src/lib/secret-box";
import { accountCodeHash, RECOVERY_CODES_EXPIRE_AT } from "../../src/lib/signin-codes";

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "demo-password";
/** Nothing listens here: acme.test is in outage from the first minute (a deadheaded server). */
export const ACME_DEAD_PORT = 9;
/** Where the local mail server for globex.test listens: Globex is healthy. */
export const GLOBEX_PORT = Number(process.env.GLOBEX_SMTP_PORT || 2526);
/** Where DSNs and outbound mail land locally (a sink that keeps .eml files). */
export const OUTBOX_PORT = Number(process.env.OUTBOX_SMTP_PORT || 2527);

export const DEMO_LOGINS = [
	{ email: "partner@demo.test", role: "partner_admin", what: "Demo Partner's channel admin (customers: Acme, Globex)" },
	{ email: "admin@acme.test", role: "customer_admin", what: "Acme's admin" },
	{ email: "alice@acme.test", role: "user", what: "Acme user; acme.test is down, so her mail is held" },
	{ email: "bob@acme.test", role: "user", what: "Acme user" },
	{ email: "carol@globex.test", role: "user", what: "Globex user; globex.test is healthy" },
	{ email: "admin@globex.test", role: "customer_admin", what: "Globex's admin" },
	{ email: "operator@demo.test", role: "operator", what: "the operator, who runs this deployment (partners)" },
] as const;

/**
 * Partners and operators always sign in with a second factor: the demo partner and operator
 * have this authenticator key (add it to any authenticator app to sign in as them)...
 */
export const DEMO_TOTP_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
/** ...and these recovery codes, each good once (what the browser tests sign them in with). */
export const DEMO_RECOVERY_CODES = Array.from({ length: 50 }, (_, i) => `demo2-aa${BASE32[i >> 5]}${BASE32[i & 31]}a`);

const q = (v: string | number | null) => (v === null ? "NULL" : typeof v === "number" ? String(v) : `'${v.replaceAll("'", "''")}'`);

/** `credentialsKey`: the deployment's CREDENTIALS_KEY, to seal the demo authenticator key (none: no second factors seeded). */
export async function demoSeedSql(globexPort: number, now = Date.now(), credentialsKey?: string): Promise<string> {
	const rows: string[] = [
		`INSERT INTO partners (id, name, created_at) VALUES ('demo-partner', 'Demo Partner', ${now}) ON CONFLICT (id) DO NOTHING;`,
		// The demo companies let their admins in with the password alone (Company → Signing in turns
		// the second factor on), so the admin pages can be tried at once.
		`INSERT INTO customers (id, partner_id, name, require_admin_second_factor, created_at) VALUES
			('demo-partner-co', 'demo-partner', 'Demo Partner', 0, ${now}),
			('acme', 'demo-partner', 'Acme', 0, ${now}),
			('globex', 'demo-partner', 'Globex', 0, ${now})
			ON CONFLICT (id) DO NOTHING;`,
		`INSERT INTO domains (id, customer_id, name, display_name, verified_at, delivery_host, delivery_port, delivery_tls, created_at) VALUES
			('acme-test', 'acme', 'acme.test', 'acme.test', ${now}, '127.0.0.1', ${ACME_DEAD_PORT}, 'off', ${now}),
			('globex-test', 'globex', 'globex.test', 'globex.test', ${now}, '127.0.0.1', ${globexPort}, 'off', ${now})
			ON CONFLICT (id) DO UPDATE SET delivery_host = excluded.delivery_host, delivery_port = excluded.delivery_port;`,
	];
	const users: [string, string, string | null, string | null, string, string][] = [
		["demo-partner-admin", "partner@demo.test", "demo-partner-co", "demo-partner", "partner_admin", "Pat Partner"],
		["acme-admin", "admin@acme.test", "acme", null, "customer_admin", "Acme Admin"],
		["acme-alice", "alice@acme.test", "acme", null, "user", "Alice Example"],
		["acme-bob", "bob@acme.test", "acme", null, "user", "Bob Example"],
		["globex-carol", "carol@globex.test", "globex", null, "user", "Carol Example"],
		["globex-admin", "admin@globex.test", "globex", null, "customer_admin", "Globex Admin"],
		// No company and no mailbox: operators manage partners, nothing else.
		["demo-operator", "operator@demo.test", null, null, "operator", "Olive Operator"],
	];
	// Each demo user's alternate address, where welcome mails and sign-in codes go (the local outbox).
	const homeAddress = (email: string) => {
		const [local, domain] = email.split("@") as [string, string];
		return `${local}.${domain.split(".")[0]}@example.net`;
	};
	for (const [id, email, customerId, partnerId, role, name] of users) {
		const hash = await hashPassword(DEMO_PASSWORD);
		rows.push(
			`INSERT INTO users (id, customer_id, partner_id, email, display_name, role, password_hash, alternate_email, created_at)
			VALUES (${[id, customerId, partnerId, email, name, role, hash, homeAddress(email), now].map(q).join(", ")})
			ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash;`,
		);
		if (credentialsKey && (role === "partner_admin" || role === "operator")) {
			const secret = await seal(credentialsKey, DEMO_TOTP_KEY, `totp:${id}`);
			rows.push(
				`INSERT INTO second_factors (user_id, totp_secret, enabled_at, updated_at) VALUES (${[id, secret, now, now].map(q).join(", ")}) ON CONFLICT (user_id) DO NOTHING;`,
			);
			for (const code of DEMO_RECOVERY_CODES) {
				const hash = await accountCodeHash(credentialsKey, "recovery codes", id, code);
				rows.push(
					`INSERT INTO user_tokens (id, user_id, purpose, expires_at, created_at) VALUES (${[hash, id, "recovery-code", RECOVERY_CODES_EXPIRE_AT, now].map(q).join(", ")}) ON CONFLICT (id) DO NOTHING;`,
				);
			}
		}
	}
	return `${rows.join("\n")}\n`;
}

/**
 * DNS the local resolver starts with (scripts/lib/fake-doh.ts, .state/dns.json): the demo
 * domains' MX already points at Cloudflare Email Routing, as a customer's would once set up.
 * Records added by hand (`npm run dns -- set …`) are kept; these only fill what is missing.
 */
export const DEMO_DNS: Record<string, { MX: string[] }> = {
	"acme.test": { MX: ["10 route1.mx.cloudflare.net.", "20 route2.mx.cloudflare.net."] },
	"globex.test": { MX: ["10 route1.mx.cloudflare.net.", "20 route2.mx.cloudflare.net."] },
};
