// Typed client for the worker's /api. Same origin: the session cookie is HttpOnly, so the
// browser attaches it and this code never sees it.

export type Role = "operator" | "partner_admin" | "customer_admin" | "user";

export interface User {
	id: string;
	email: string;
	displayName: string;
	role: Role;
}

export type MessageStatus = "received" | "queued" | "spooled" | "deferred" | "delivered" | "bounced";

export interface MessageSummary {
	id: string;
	from: string;
	to: string;
	subject: string;
	/** The Date: header as ISO, when it parsed. */
	date: string | null;
	receivedAt: string;
	size: number;
	hasAttachments: boolean;
	seen: boolean;
	status: MessageStatus;
	parseError: boolean;
}

export interface MessagePage {
	messages: MessageSummary[];
	nextCursor: string | null;
}

export interface MessageHeaders {
	from: string;
	to: string;
	cc: string;
	replyTo: string;
	subject: string;
	/** ISO when it parses, otherwise the raw header value. */
	date: string | null;
	messageId: string | null;
	inReplyTo: string | null;
	references: string | null;
}

export interface Attachment {
	index: number;
	filename: string | null;
	contentType: string;
	disposition: string | null;
	contentId: string | null;
	size: number;
}

export interface MessageDetail {
	id: string;
	status: MessageStatus;
	receivedAt: string;
	size: number;
	envelope: { from: string; to: string };
	parseError: string | null;
	headers: MessageHeaders | null;
	text: string | null;
	/** Sanitised by the worker; still only ever shown in a sandboxed frame. */
	html: string | null;
	attachments: Attachment[];
}

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

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
	if (body !== undefined) {
		// The worker's CSRF check refuses state-changing bodies that are not JSON.
		init.headers = { Accept: "application/json", "Content-Type": "application/json" };
		init.body = JSON.stringify(body);
	}
	let res: Response;
	try {
		res = await fetch(path, init);
	} catch {
		throw new ApiError(0, "Network error", "Could not reach the server. Check your connection and try again.");
	}
	if (!res.ok) throw await toApiError(res);
	if (res.status === 204) return undefined as T;
	return (await res.json()) as T;
}

async function toApiError(res: Response): Promise<ApiError> {
	const problem = (await res.json().catch(() => null)) as { title?: unknown; detail?: unknown } | null;
	const title = typeof problem?.title === "string" ? problem.title : res.statusText || "Request failed";
	const detail = typeof problem?.detail === "string" ? problem.detail : undefined;
	return new ApiError(res.status, title, detail);
}

const messagePath = (id: string) => `/api/mailbox/messages/${encodeURIComponent(id)}`;

export const api = {
	signIn: (email: string, password: string) => request<{ user: User }>("POST", "/api/session", { email, password }),
	currentUser: () => request<{ user: User }>("GET", "/api/session"),
	signOut: () => request<void>("DELETE", "/api/session"),
	listMessages(options: { limit?: number; cursor?: string | null } = {}) {
		const query = new URLSearchParams();
		if (options.limit !== undefined) query.set("limit", String(options.limit));
		if (options.cursor) query.set("cursor", options.cursor);
		const qs = query.size > 0 ? `?${query}` : "";
		return request<MessagePage>("GET", `/api/mailbox/messages${qs}`);
	},
	getMessage: (id: string) => request<MessageDetail>("GET", messagePath(id)),
};

/** Plain download URLs: the browser fetches them itself, with the cookie, via <a download>. */
export const rawUrl = (id: string) => `${messagePath(id)}/raw`;
export const attachmentUrl = (id: string, index: number) => `${messagePath(id)}/attachments/${index}`;
