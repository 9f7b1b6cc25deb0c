// Who may call each API route: the one declared table. src/api/app.ts enforces it per prefix
// (/api/admin: requireSession + adminScope; /api/mailbox: requireSession + mailboxScope;
// partner and operator: their own checks), queries are scoped by owner or company, signed
// links carry their own claims; and
// test/worker/authz-matrix.test.ts checks every route against this table for every role, the
// same roles of another tenant and anonymous callers. A route missing here fails that test.

export type Audience =
	/** No session: signing in and out, and signed links (the token is the credential). */
	| "anyone"
	/** Any signed-in account. */
	| "signed-in"
	/** A signed-in account acting on its own mailbox; another account's message is 404. */
	| "mailbox-owner"
	/** As mailbox-owner, and the address must be on its company's served domain (403 otherwise: partner and operator logins). */
	| "mailbox-on-domain"
	/**
	 * A customer admin, on their own company's objects; a partner admin likewise on the partner's
	 * own company, and on its customers' settings with ?customer=ID. Users and operators 403;
	 * other companies' objects (and customers that are not the partner's) 404.
	 */
	| "customer-admin"
	/** As customer-admin, but it opens mail: a partner acting for a customer is refused (403, audited). */
	| "inbox-admin"
	/** A partner's admin, on its own customers; everyone else 403. */
	| "partner-admin"
	/** The deployment's operators; everyone else 403. */
	| "operator";

export const ACCESS = {
	"POST /api/session": "anyone",
	"GET /api/session": "signed-in",
	"DELETE /api/session": "anyone",
	"POST /api/session/password": "anyone",
	"POST /api/session/code": "anyone",
	"POST /api/session/second-factor": "anyone",
	"GET /api/account/second-factor": "signed-in",
	"POST /api/account/totp": "signed-in",
	"POST /api/account/totp/confirm": "signed-in",
	"DELETE /api/account/totp": "signed-in",
	"GET /api/mailbox/messages": "mailbox-owner",
	"PATCH /api/mailbox/messages": "mailbox-owner",
	"GET /api/mailbox/status": "mailbox-on-domain",
	"GET /api/mailbox/contacts": "mailbox-owner",
	"GET /api/mailbox/messages/:id": "mailbox-owner",
	"GET /api/mailbox/messages/:id/raw": "mailbox-owner",
	"GET /api/mailbox/messages/:id/attachments/:index": "mailbox-owner",
	"POST /api/mailbox/uploads": "mailbox-on-domain",
	"POST /api/mailbox/send": "mailbox-on-domain",
	"GET /api/admin/domains": "customer-admin",
	"PATCH /api/admin/domains/:id": "customer-admin",
	"POST /api/admin/domains/:id/test": "customer-admin",
	"POST /api/admin/domains/:id/:action{hold|release|retry}": "customer-admin",
	"POST /api/admin/domains": "customer-admin",
	"POST /api/admin/domains/:id/verify": "customer-admin",
	"GET /api/admin/domains/:id/checklist": "customer-admin",
	"GET /api/admin/domains/:id/log": "customer-admin",
	"DELETE /api/admin/domains/:id": "customer-admin",
	"GET /api/admin/events": "customer-admin",
	"GET /api/admin/events.csv": "customer-admin",
	"GET /api/admin/users": "customer-admin",
	"POST /api/admin/users": "customer-admin",
	"POST /api/admin/users/import": "customer-admin",
	"POST /api/admin/users/invite": "customer-admin",
	"GET /api/admin/users/:id": "customer-admin",
	"PATCH /api/admin/users/:id": "customer-admin",
	"DELETE /api/admin/users/:id": "customer-admin",
	"DELETE /api/admin/users/:id/second-factor": "customer-admin",
	"POST /api/admin/users/:id/aliases": "customer-admin",
	"DELETE /api/admin/users/:id/aliases/:aliasId": "customer-admin",
	"POST /api/admin/users/:id/view": "inbox-admin",
	"DELETE /api/admin/view": "customer-admin",
	"POST /api/admin/messages/:id/:action{retry|bounce}": "customer-admin",
	"GET /api/admin/company": "customer-admin",
	"PATCH /api/admin/company": "customer-admin",
	"GET /api/admin/groups": "customer-admin",
	"POST /api/admin/groups": "customer-admin",
	"GET /api/admin/groups/:id": "customer-admin",
	"PATCH /api/admin/groups/:id": "customer-admin",
	"DELETE /api/admin/groups/:id": "customer-admin",
	"POST /api/admin/domains/:id/discover": "customer-admin",
	"GET /api/admin/domains/:id/discovery": "customer-admin",
	"GET /api/admin/reports": "customer-admin",
	"GET /api/admin/reports.csv": "customer-admin",
	"GET /api/files/:token": "anyone",
	"GET /api/partner/customers": "partner-admin",
	"GET /api/partner/customers/:id": "partner-admin",
	"POST /api/partner/customers": "partner-admin",
	"GET /api/operator/partners": "operator",
	"POST /api/operator/partners": "operator",
} as const satisfies Record<string, Audience>;

export type RouteKey = keyof typeof ACCESS;
