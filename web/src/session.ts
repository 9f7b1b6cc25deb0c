// Who is signed in, shared by every route. The cookie itself is HttpOnly; this is only the
// worker's answer to GET /api/session, cached so each route does not ask again.
import { useLocation, useNavigate } from "@solidjs/router";
import { createSignal } from "solid-js";
import { ApiError, api, type User, type Viewing } from "./api";
import { forgetAllLists } from "./state/list-memory";
import { forgetStatus, refreshStatus } from "./state/mailbox-status";
import { dismissToast } from "./state/toast";

export const [user, setUser] = createSignal<User | null>(null);

/**
 * Set while a customer admin looks at a user's Emergency Inbox: every mailbox call then works
 * on that user's mail, and the shell shows a banner saying so.
 */
export const [viewing, setViewing] = createSignal<Viewing | null>(null);

/**
 * The account's role needs a second factor and has none yet: only the Security page works
 * (the worker answers 403 elsewhere), so the shell sends the person there.
 */
export const [mustEnrol, setMustEnrol] = createSignal(false);

/** The mailbox on screen is someone else's and this session may not change it. */
export const readOnly = () => {
	const v = viewing();
	return v !== null && !v.canAct;
};

/** The signed-in user; rejects with the ApiError (401 when nobody is signed in). */
export async function loadUser(): Promise<User> {
	const known = user();
	if (known) return known;
	return reloadSession();
}

/** Asks the worker again who is signed in, and whose mailbox this session shows. */
export async function reloadSession(): Promise<User> {
	const { user: fresh, viewing: v, mustEnrol: enrol } = await api.currentUser();
	setUser(fresh);
	setViewing(v ?? null);
	setMustEnrol(enrol);
	return fresh;
}

/**
 * The session now shows another mailbox (an admin opened a user's Emergency Inbox, or left
 * it): nothing remembered from the previous mailbox may show in this one, not even briefly,
 * and no toast's Undo may act on it.
 */
export function switchMailbox(next: Viewing | null): void {
	forgetAllLists();
	forgetStatus();
	dismissToast();
	setViewing(next);
	void refreshStatus();
}

/**
 * Drops everything cached for the previous user: on a shared computer the next person to sign
 * in must not see a flash of someone else's list or banner.
 */
export function forgetSession(): void {
	setUser(null);
	setViewing(null);
	setMustEnrol(false);
	forgetAllLists();
	forgetStatus();
}

/** Where each role starts after signing in: operators and partners have no held mail to read here. */
export function homePath(account: User | null): string {
	if (account?.role === "operator") return "/operator";
	if (account?.role === "partner_admin") return "/partner";
	return "/";
}

/** Only same-site paths: `next` comes from the URL, so it must not become an open redirect. */
export function safeNext(next: unknown): string {
	return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

export const loginPath = (next: string) => (next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`);

/**
 * Returns a handler that sends the user to /login when an API call says the session is gone
 * (expired, revoked, or never there), so they come back to the same page after signing in.
 * It answers whether it handled the error, so callers show their own error otherwise.
 */
export function useSessionGuard(): (err: unknown) => boolean {
	const navigate = useNavigate();
	const location = useLocation();
	return (err) => {
		if (!(err instanceof ApiError && err.status === 401)) return false;
		forgetSession();
		navigate(loginPath(location.pathname + location.search), { replace: true });
		return true;
	};
}
