// Company settings → Users: the company's accounts, found by the start of their address or
// name, each with its page (edit, aliases, disable, delete) and the way into its Emergency Inbox
// (for when someone is away and their mail cannot wait). Add a user here, import many from CSV,
// or select some and send them the welcome email with a link to choose their password.
// The search lives in the URL like the activity filter, so Back and a shared link keep it.
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, on, onCleanup, Show } from "solid-js";
import { type AdminUser, adminApi, type Viewing } from "../api";
import { switchMailbox, user, useSessionGuard, viewing } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { KeysetItems, useKeysetList } from "./keyset-list";
import { OpenInboxDialog } from "./open-inbox-dialog";
import { createResult, ResultLine } from "./result";
import { useAdminHref, useCompanyName, useOnBehalf } from "./scope";
import { AddUserForm } from "./user-add";
import { inviteSummary, ROLES, signInState } from "./user-text";
import "./users.css";

/** Long enough not to ask on every key, short enough to feel like filtering. */
const TYPING_MS = 250;

export default function Users() {
	useTitle(() => "Users");
	// A partner acting for its customer manages accounts, never reads their mail: no way into an inbox here.
	const onBehalf = useOnBehalf();
	const to = useAdminHref();
	const company = useCompanyName();
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const [params, setParams] = useSearchParams();
	const q = () => String(params.q ?? "");
	const list = useKeysetList(async (after) => {
		const page = await adminApi.users(q().trim(), after);
		return { items: page.users, nextCursor: page.nextCursor };
	});
	const { items: users, loading, error, load } = list;
	const [target, setTarget] = createSignal<AdminUser | null>(null);
	const [adding, setAdding] = createSignal(false);
	const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
	const [inviting, setInviting] = createSignal(false);
	const outcome = createResult();
	// The box is not bound to the URL: a late update would overwrite what the admin typed since.
	const typedAtStart = q();
	let timer: ReturnType<typeof setTimeout> | undefined;
	onCleanup(() => clearTimeout(timer));

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

	function toggle(id: string, on: boolean) {
		const next = new Set(selected());
		if (on) next.add(id);
		else next.delete(id);
		setSelected(next);
	}

	const allShown = () => users().length > 0 && users().every((u) => selected().has(u.id));

	async function invite() {
		const ids = [...selected()];
		if (ids.length === 0 || inviting()) return;
		outcome.clear();
		setInviting(true);
		try {
			const result = await adminApi.inviteUsers(ids);
			outcome.ok(inviteSummary(result));
			setSelected(new Set<string>());
			await load(null);
		} catch (err) {
			if (!guard(err)) outcome.error(errorText(err, "Could not send the welcome email."));
		} finally {
			setInviting(false);
		}
	}

	function added(message: string) {
		setAdding(false);
		outcome.ok(message);
		void load(null);
		document.getElementById("users-title")?.focus();
	}

	return (
		<Show when={!isForbidden(error())} fallback={<Forbidden detail={errorText(error(), "")} />}>
			<section class="admin-page" aria-labelledby="users-title" aria-busy={loading()}>
				<div class="list-head">
					<h1 id="users-title" tabindex="-1">
						Users
					</h1>
					<div class="list-actions">
						<button type="button" class="button" aria-expanded={adding()} onClick={() => setAdding(!adding())}>
							Add user
						</button>
						<A class="button" href={to("/users/import")}>
							Import CSV
						</A>
					</div>
				</div>
				<Show
					when={!onBehalf}
					fallback={
						<p class="muted">As a partner you manage these accounts; their mail is open only to the company's own administrators.</p>
					}
				>
					<p class="muted">
						Open someone's Emergency Inbox when their mail cannot wait for them. You are asked why; the reason and every message you open
						are recorded in the activity log.
					</p>
				</Show>
				<Show when={adding()}>
					<AddUserForm onAdded={added} onCancel={() => setAdding(false)} />
				</Show>
				<search class="user-search" aria-label="Find users">
					<form
						class="search-form"
						onSubmit={(e) => {
							e.preventDefault();
							clearTimeout(timer);
							search(String(new FormData(e.currentTarget).get("q") ?? ""));
						}}
					>
						<label for="users-q">Find by address or name</label>
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
							The start of an address or a name, such as “alice”, “alice@acme” or “Liddell”.
						</p>
					</form>
				</search>
				<fieldset class="user-bulk" aria-label="Selected users">
					<label class="check">
						<input
							type="checkbox"
							checked={allShown()}
							disabled={users().length === 0}
							onChange={(e) => setSelected(e.currentTarget.checked ? new Set(users().map((u) => u.id)) : new Set<string>())}
						/>
						<span>Select all shown</span>
					</label>
					<span class="muted small" aria-live="polite">
						{selected().size === 0 ? "None selected" : `${selected().size} selected`}
					</span>
					<button type="button" class="button" disabled={selected().size === 0 || inviting()} onClick={() => void invite()}>
						{inviting() ? "Sending…" : "Send welcome email"}
					</button>
				</fieldset>
				<ResultLine result={outcome.result()} />
				<KeysetItems
					list={list}
					label="Users"
					failText="Could not load your company's users."
					empty={q().trim() ? `No address or name starts with “${q().trim()}”.` : `${company()} has no users yet.`}
				>
					{(u) => (
						<li class="user-row">
							<input
								type="checkbox"
								class="user-select"
								aria-label={`Select ${u.email}`}
								checked={selected().has(u.id)}
								onChange={(e) => toggle(u.id, e.currentTarget.checked)}
							/>
							<div class="user-who">
								<p class="user-email">
									<A href={to(`/users/${encodeURIComponent(u.id)}`)}>{u.email}</A>
								</p>
								<p class="muted">{u.displayName || "(no name)"}</p>
								<Show when={u.aliases.length > 0}>
									<p class="muted small">Also {u.aliases.map((a) => a.address).join(", ")}</p>
								</Show>
							</div>
							<p class="user-tags">
								<span class="tag tag-pending">{ROLES[u.role] ?? u.role}</span>
								<Show when={u.disabled}>
									<span class="tag tag-failed">Disabled</span>
								</Show>
								<Show when={!u.disabled && signInState(u)}>{(s) => <span class={`tag tag-${s().tone}`}>{s().text}</span>}</Show>
								<Show when={viewing()?.userId === u.id}>
									<span class="tag tag-delivered">Open now</span>
								</Show>
							</p>
							<Show when={!onBehalf}>
								<Show when={u.id !== user()?.id} fallback={<span class="muted small user-self">You</span>}>
									<button type="button" class="button user-open" onClick={() => setTarget(u)}>
										Open Emergency Inbox<span class="visually-hidden"> of {u.email}</span>
									</button>
								</Show>
							</Show>
						</li>
					)}
				</KeysetItems>
			</section>
			<OpenInboxDialog target={target()} onClose={() => setTarget(null)} onOpened={opened} />
		</Show>
	);
}
