// Typed client for the worker's /api. Same origin: the session cookie is HttpOnly, so the
// browser attaches it and this code never sees it.

import type { EventPage, ViewStarted } from "../../src/api/admin-types";
import type { ConnectionTest, DomainActionResult, DomainList, DomainPatch, DomainPatchResult } from "../../src/api/domain-types";
import type {
	CodeRequested,
	ComposeRequest,
	ComposeResult,
	Contact,
	Folder,
	MailboxStatus,
	MessageDetail,
	MessagePage,
	MessagesPatch,
	MessagesPatchResult,
	RecoveryCodes,
	SecondFactorRequired,
	SecondFactorStatus,
	SessionView,
	SignedIn,
	TotpSetup,
	Upload,
} from "../../src/api/types";
import type {
	AdminUser,
	DeleteResult,
	ImportResult,
	InviteResult,
	NewUser,
	PasswordSet,
	UserAlias,
	UserPage,
	UserPatch,
} from "../../src/api/user-types";

export type {
	Attachment,
	ComposeRequest,
	Contact,
	Folder,
	MailboxStatus,
	MessageDetail,
	MessagePage,
	MessageStatus,
	MessageSummary,
	RecipientStatus,
	Role,
	Upload,
	User,
	Viewing,
} from "../../src/api/types";

/** An RFC 9457 problem from the API, or a stand-in when the network or body failed. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly title: string,
		readonly detail?: string,
	) {
		super(detail ?? title);
		this.name = "ApiError";
	}
}

const NETWORK_ERROR = () => new ApiError(0, "Network error", "Could not reach the server. Check your connection and try again.");

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
	const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json" }, signal };
	if (body !== undefined) {
		// The worker's CSRF check refuses state-changing bodies that are not JSON.
		init.headers = { Accept: "application/json", "Content-Type": "application/json" };
		init.body = JSON.stringify(body);
	}
	let res: Response;
	try {
		res = await fetch(path, init);
	} catch (err) {
		if (signal?.aborted) throw err;
		throw NETWORK_ERROR();
	}
	if (!res.ok) throw await toApiError(res);
	if (res.status === 204) return undefined as T;
	return (await res.json()) as T;
}

function problemOf(status: number, statusText: string, problem: { title?: unknown; detail?: unknown } | null): ApiError {
	const title = typeof problem?.title === "string" ? problem.title : statusText || "Request failed";
	const detail = typeof problem?.detail === "string" ? problem.detail : undefined;
	return new ApiError(status, title, detail);
}

async function toApiError(res: Response): Promise<ApiError> {
	return problemOf(res.status, res.statusText, await res.json().catch(() => null));
}

const messagePath = (id: string) => `/api/mailbox/messages/${encodeURIComponent(id)}`;

/** A list of one folder, or a search when any of q/unread/attachments/after/before is set. */
export interface ListQuery {
	folder?: Folder;
	q?: string;
	unread?: boolean;
	attachments?: boolean;
	/** YYYY-MM-DD, inclusive bounds as the user picked them. */
	after?: string;
	before?: string;
	limit?: number;
	cursor?: string | null;
}

export function listQueryString(query: ListQuery): string {
	const params = new URLSearchParams();
	if (query.folder) params.set("folder", query.folder);
	if (query.q) params.set("q", query.q);
	if (query.unread) params.set("unread", "1");
	if (query.attachments) params.set("attachments", "1");
	if (query.after) params.set("after", query.after);
	if (query.before) params.set("before", query.before);
	if (query.limit !== undefined) params.set("limit", String(query.limit));
	if (query.cursor) params.set("cursor", query.cursor);
	return params.size > 0 ? `?${params}` : "";
}

export const api = {
	/** SignedIn, or SecondFactorRequired: then secondFactor() within 5 minutes finishes it. */
	signIn: (email: string, password: string) => request<SignedIn | SecondFactorRequired>("POST", "/api/session", { email, password }),
	secondFactor: (answer: { code: string } | { recoveryCode: string }) => request<SignedIn>("POST", "/api/session/second-factor", answer),
	secondFactorStatus: () => request<SecondFactorStatus>("GET", "/api/account/second-factor"),
	startTotp: () => request<TotpSetup>("POST", "/api/account/totp"),
	confirmTotp: (code: string) => request<RecoveryCodes>("POST", "/api/account/totp/confirm", { code }),
	disableTotp: (code: string) => request<void>("DELETE", "/api/account/totp", { code }),
	/** A one-time code to the alternate address; the same answer whether or not the address has an account. */
	requestCode: (email: string) => request<CodeRequested>("POST", "/api/session/code", { email }),
	signInWithCode: (email: string, code: string) => request<SignedIn | SecondFactorRequired>("POST", "/api/session", { email, code }),
	/** `viewing` is set while a customer admin looks at a user's Emergency Inbox through this session. */
	currentUser: () => request<SessionView>("GET", "/api/session"),
	signOut: () => request<void>("DELETE", "/api/session"),
	/** The welcome email's link: sets the password (once) and answers with the account's address. */
	setPassword: (token: string, password: string) => request<PasswordSet>("POST", "/api/session/password", { token, password }),
	status: () => request<MailboxStatus>("GET", "/api/mailbox/status"),
	listMessages: (query: ListQuery) => request<MessagePage>("GET", `/api/mailbox/messages${listQueryString(query)}`),
	getMessage: (id: string) => request<MessageDetail>("GET", messagePath(id)),
	patchMessages: (patch: MessagesPatch) => request<MessagesPatchResult>("PATCH", "/api/mailbox/messages", patch),
	contacts: (q: string, signal?: AbortSignal) =>
		request<Contact[]>("GET", `/api/mailbox/contacts?${new URLSearchParams({ q })}`, undefined, signal),
	send: (message: ComposeRequest) => request<ComposeResult>("POST", "/api/mailbox/send", message),
};

/** Company settings → Users: the wire types live with the worker's routes (src/api/user-types.ts). */
export type {
	AdminUser,
	CompanyRole,
	DeleteResult,
	ImportResult,
	InviteResult,
	NewUser,
	UserAlias,
	UserPage,
	UserPatch,
} from "../../src/api/user-types";

/**
 * The company the admin pages act on: null for the signed-in admin's own company, or a
 * partner's customer (the partner drill-down), sent as ?customer=ID on every admin call.
 */
let adminCustomer: string | null = null;
export const setAdminCustomer = (id: string | null) => {
	adminCustomer = id;
};

/** An /api/admin URL for `path` (starting with "/"), with `params` and the acted-on customer. */
export function adminUrl(path: string, params: Record<string, string | null | undefined> = {}): string {
	const search = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
	if (adminCustomer) search.set("customer", adminCustomer);
	return `/api/admin${path}${search.size > 0 ? `?${search}` : ""}`;
}

/** For the partner and operator pages' calls (web/src/partner, web/src/operator): a typed JSON request, errors as ApiError. */
export const apiRequest = <T>(method: string, path: string, body?: unknown) => request<T>(method, path, body);

/** For calls added elsewhere in web/src/admin: a typed JSON request, errors as ApiError. */
export const adminRequest = <T>(method: string, path: string, body?: unknown, params?: Record<string, string | null | undefined>) =>
	request<T>(method, adminUrl(path, params), body);

/** A page of Activity: `kind` is a kind or a prefix of one ("delivery."); `cursor` the previous page's nextCursor. */
export interface EventQuery {
	kind?: string;
	cursor?: string | null;
	limit?: number;
}

const domainPath = (id: string) => `/domains/${encodeURIComponent(id)}`;
const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

/** The customer admin's calls; every one answers 403 for other roles. */
export const adminApi = {
	domains: () => adminRequest<DomainList>("GET", "/domains"),
	patchDomain: (id: string, patch: DomainPatch) => adminRequest<DomainPatchResult>("PATCH", domainPath(id), patch),
	testConnection: (id: string) => adminRequest<ConnectionTest>("POST", `${domainPath(id)}/test`),
	domainAction: (id: string, action: "hold" | "release" | "retry") =>
		adminRequest<DomainActionResult>("POST", `${domainPath(id)}/${action}`),
	events: (query: EventQuery) =>
		adminRequest<EventPage>("GET", "/events", undefined, { kind: query.kind, cursor: query.cursor, limit: String(query.limit ?? 50) }),
	/** `q` is an address prefix; `cursor` the previous page's nextCursor. */
	users: (q: string, cursor: string | null) => adminRequest<UserPage>("GET", "/users", undefined, { q, cursor }),
	user: (id: string) => adminRequest<AdminUser>("GET", userPath(id)),
	createUser: (user: NewUser) => adminRequest<AdminUser>("POST", "/users", user),
	patchUser: (id: string, patch: UserPatch) => adminRequest<AdminUser>("PATCH", userPath(id), patch),
	deleteUser: (id: string) => adminRequest<DeleteResult>("DELETE", userPath(id)),
	resetSecondFactor: (id: string) => adminRequest<AdminUser>("DELETE", `${userPath(id)}/second-factor`),
	addAlias: (id: string, address: string) => adminRequest<UserAlias>("POST", `${userPath(id)}/aliases`, { address }),
	removeAlias: (id: string, aliasId: string) => adminRequest<void>("DELETE", `${userPath(id)}/aliases/${encodeURIComponent(aliasId)}`),
	/** One welcome email (a one-time set-password link) per user, to their alternate address. */
	inviteUsers: (ids: string[]) => adminRequest<InviteResult>("POST", "/users/invite", { ids }),
	/** Checks (dryRun) or creates users from CSV text: header email,name,role,alternate_email,aliases. */
	importUsers: (csv: string, options: { dryRun?: boolean; invite?: boolean } = {}) =>
		adminRequest<ImportResult>("POST", "/users/import", { csv, ...options }),
	/**
	 * Opens a user's Emergency Inbox in this session: the worker replaces the session cookie with
	 * one that shows that mailbox (read-only unless `act`), and records the reason.
	 */
	viewInbox: (userId: string, reason: string, act: boolean) =>
		adminRequest<ViewStarted>("POST", `/users/${encodeURIComponent(userId)}/view`, { reason, act }),
	/** Back to the admin's own mailbox (a new session cookie again). */
	leaveInbox: () => adminRequest<void>("DELETE", "/view"),
};

/**
 * Uploads one file as the raw request body. XMLHttpRequest rather than fetch: only it reports
 * upload progress, and a large attachment on a slow link needs a visible bar.
 */
export function uploadFile(file: File, onProgress: (fraction: number) => void, signal: AbortSignal): Promise<Upload> {
	return new Promise((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open("POST", "/api/mailbox/uploads");
		xhr.setRequestHeader("Accept", "application/json");
		xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
		// Header values must be ASCII: the server decodes the name.
		xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
		xhr.responseType = "text";
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
		};
		xhr.onload = () => {
			let body: unknown = null;
			try {
				body = JSON.parse(xhr.responseText);
			} catch {
				// A non-JSON answer (a proxy's error page) becomes the generic problem below.
			}
			if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as Upload);
			else reject(problemOf(xhr.status, xhr.statusText, body as { title?: unknown; detail?: unknown } | null));
		};
		xhr.onerror = () => reject(NETWORK_ERROR());
		xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
		signal.addEventListener("abort", () => xhr.abort(), { once: true });
		xhr.send(file);
	});
}

/** Plain download URL: the browser fetches it itself, with the cookie. */
export const rawUrl = (id: string) => `${messagePath(id)}/raw`;

/** The frame URL with remote images allowed, for this one view only. */
export const withImages = (bodyUrl: string) => `${bodyUrl}${bodyUrl.includes("?") ? "&" : "?"}images=1`;
