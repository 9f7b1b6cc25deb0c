// Company settings → Users: the company's accounts, found by the start of their address, each
// with the way into its Emergency Inbox (for when someone is away and their mail cannot wait).
// The search lives in the URL like the activity filter, so Back and a shared link keep it.
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, For, on, onCleanup, Show } from "solid-js";
import { type AdminUser, adminApi, type Role, type Viewing } from "../api";
import { switchMailbox, user, useSessionGuard, viewing } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { OpenInboxDialog } from "./open-inbox-dialog";

const ROLES: Record<Role, string> = {
	customer_admin: "Administrator",
	user: "User",
	partner_admin: "Partner administrator",
	operator: "Operator",
};

/** Long enough not to ask on every key, short enough to feel like filtering. */
const TYPING_MS = 250;

export default function Users() {
	useTitle(() => "Users");
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const [params, setParams] = useSearchParams();
	const q = () => String(params.q ?? "");
	const [users, setUsers] = createSignal<AdminUser[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [loading, setLoading] = createSignal(false);
	const [loaded, setLoaded] = createSignal(false);
	const [error, setError] = createSignal<unknown>();
	const [target, setTarget] = createSignal<AdminUser | null>(null);
	// The box is not bound to the URL: a late update would overwrite what the admin typed since.
	const typedAtStart = q();
	let timer: ReturnType<typeof setTimeout> | undefined;
	onCleanup(() => clearTimeout(timer));
	// An answer for the previous search must not land in this one.
	let generation = 0;

	async function load(after: string | null) {
		const gen = after ? generation : ++generation;
		setLoading(true);
		setError(undefined);
		try {
			const page = await adminApi.users(q().trim(), after);
			if (gen !== generation) return;
			setUsers((old) => (after ? [...old, ...page.users] : page.users));
			setCursor(page.nextCursor);
			setLoaded(true);
		} catch (err) {
			if (gen === generation && !guard(err)) setError(err);
		} finally {
			if (gen === generation) setLoading(false);
		}
	}

	createEffect(on(q, () => void load(null)));

	const search = (value: string) => setParams({ q: value.trim() || undefined }, { replace: true });

	function typed(value: string) {
		clearTimeout(timer);
		timer = setTimeout(() => search(value), TYPING_MS);
	}

	function opened(v: Viewing) {
		switchMailbox(v);
		navigate("/");
		document.getElementById("main")?.focus();
	}

	return (
		<Show when={!isForbidden(error())} fallback={<Forbidden detail={errorText(error(), "")} />}>
			<section class="admin-page" aria-labelledby="users-title" aria-busy={loading()}>
				<div class="list-head">
					<h1 id="users-title">Users</h1>
				</div>
				<p class="muted">
					Open someone's Emergency Inbox when their mail cannot wait for them. You are asked why; the reason and every message you open are
					recorded in the activity log.
				</p>
				<form
					role="search"
					aria-label="Find users"
					class="user-search"
					onSubmit={(e) => {
						e.preventDefault();
						clearTimeout(timer);
						search(String(new FormData(e.currentTarget).get("q") ?? ""));
					}}
				>
					<label for="users-q">Find by address</label>
					<input
						id="users-q"
						name="q"
						type="search"
						value={typedAtStart}
						autocomplete="off"
						spellcheck={false}
						aria-describedby="users-q-help"
						onInput={(e) => typed(e.currentTarget.value)}
					/>
					<p class="field-help" id="users-q-help">
						The start of an address, such as “alice” or “alice@acme”.
					</p>
				</form>
				<Show when={error()}>
					<div role="alert" class="notice notice-error">
						<p>{errorText(error(), "Could not load your company's users.")}</p>
						<button type="button" class="button" onClick={() => void load(null)}>
							Try again
						</button>
					</div>
				</Show>
				<Show when={loaded() && users().length === 0 && !error()}>
					<p class="empty">{q().trim() ? `No address starts with “${q().trim()}”.` : "Your company has no users yet."}</p>
				</Show>
				<ul class="user-list" aria-label="Users">
					<For each={users()}>
						{(u) => (
							<li class="user-row">
								<div class="user-who">
									<p class="user-email">{u.email}</p>
									<p class="muted">{u.displayName || "(no name)"}</p>
								</div>
								<p class="user-tags">
									<span class="tag tag-pending">{ROLES[u.role] ?? u.role}</span>
									<Show when={u.disabled}>
										<span class="tag tag-failed">Disabled</span>
									</Show>
									<Show when={viewing()?.userId === u.id}>
										<span class="tag tag-delivered">Open now</span>
									</Show>
								</p>
								<Show when={u.id !== user()?.id} fallback={<span class="muted small user-self">You</span>}>
									<button type="button" class="button user-open" onClick={() => setTarget(u)}>
										Open Emergency Inbox<span class="visually-hidden"> of {u.email}</span>
									</button>
								</Show>
							</li>
						)}
					</For>
				</ul>
				<Show when={cursor()}>
					{(next) => (
						<button type="button" class="button load-more" onClick={() => void load(next())} disabled={loading()}>
							{loading() ? "Loading…" : "Load more"}
						</button>
					)}
				</Show>
				<Show when={loading() && !loaded()}>
					<p class="loading" role="status">
						Loading…
					</p>
				</Show>
			</section>
			<OpenInboxDialog target={target()} onClose={() => setTarget(null)} onOpened={opened} />
		</Show>
	);
}
