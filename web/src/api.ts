// Typed client for the worker's /api. Same origin: the session cookie is HttpOnly, so the
// browser attaches it and this code never sees it.

import type { MessageDetail, MessagePage, User } from "../../src/api/types";

export type { Attachment, MessageDetail, MessagePage, MessageStatus, MessageSummary, User } from "../../src/api/types";

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
