// A message list: one folder, or search results. Keyset paging with infinite scroll, bulk
// actions on a selection, and j/k/o/# on a keyboard cursor.
import { useLocation, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import { api, type Folder, type ListQuery, type MessageSummary } from "../api";
import { Loading } from "../components/loading";
import { MessageRow } from "../components/message-row";
import { SearchFilters } from "../components/search-filters";
import { SelectionToolbar } from "../components/selection-toolbar";
import { plural } from "../format";
import { useSessionGuard } from "../session";
import { useShortcuts } from "../state/keyboard";
import { recallList, rememberList } from "../state/list-memory";
import { refreshStatus } from "../state/mailbox-status";
import { showToast } from "../state/toast";
import { useTitle } from "../title";

const PAGE_SIZE = 50;
const REFRESH_MS = 30_000;

export type ListView = Folder | "search";

const FOLDER_PATHS: Record<Folder, string> = { inbox: "/", sent: "/sent", trash: "/trash" };

const TITLES: Record<ListView, string> = { inbox: "Inbox", sent: "Sent", trash: "Trash", search: "Search" };

const EMPTY: Record<ListView, string> = {
	inbox: "No mail here. While your mail server is unreachable, new mail for you appears in this inbox.",
	sent: "Nothing sent yet. Mail you send from the Emergency Inbox appears here, with its delivery status.",
	trash: "Trash is empty.",
	search: "No messages match your search. Try other words or fewer filters.",
};

export default function Mailbox(props: { view: ListView }) {
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const location = useLocation();
	const [params] = useSearchParams();
	const [messages, setMessages] = createStore<MessageSummary[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [loading, setLoading] = createSignal(false);
	const [loaded, setLoaded] = createSignal(false);
	const [error, setError] = createSignal("");
	const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
	const [currentId, setCurrentId] = createSignal<string | null>(null);
	let listEl: HTMLUListElement | undefined;
	let sentinel: HTMLDivElement | undefined;
	let observer: IntersectionObserver | undefined;
	// Answers to an older query (the user typed on, or changed folder) must not land in this one.
	let generation = 0;

	const param = (name: string) => String(params[name] ?? "");
	const query = createMemo<ListQuery | null>(() => {
		if (props.view !== "search") return { folder: props.view };
		const q = {
			q: param("q").trim(),
			unread: param("unread") === "1",
			attachments: param("attachments") === "1",
			after: param("after"),
			before: param("before"),
		};
		return q.q || q.unread || q.attachments || q.after || q.before ? q : null;
	});
	// The list's own URL; while a route change is under way location already names the next page.
	const key = () =>
		props.view !== "search" ? FOLDER_PATHS[props.view] : location.pathname === "/search" ? `/search${location.search}` : null;
	let activeKey: string | null = null;
	const heading = () => (props.view === "search" && param("q").trim() ? `Results for “${param("q").trim()}”` : TITLES[props.view]);
	useTitle(() => (props.view === "search" ? heading() : TITLES[props.view]));

	function save() {
		if (!activeKey) return;
		rememberList({ path: activeKey, messages: unwrap(messages).map((m) => ({ ...m })), cursor: cursor(), currentId: currentId() });
	}

	async function load(after: string | null) {
		const q = query();
		if (!q) return;
		const gen = generation;
		setLoading(true);
		setError("");
		try {
			const page = await api.listMessages({ ...q, limit: PAGE_SIZE, cursor: after });
			if (gen !== generation) return;
			const fresh = after ? page.messages.filter((m) => !messages.some((o) => o.id === m.id)) : page.messages;
			setMessages(reconcile(after ? [...unwrap(messages), ...fresh] : fresh, { key: "id" }));
			setCursor(page.nextCursor);
			setLoaded(true);
			save();
			rearmSentinel();
		} catch (err) {
			if (gen === generation && !guard(err)) setError(err instanceof Error ? err.message : "Could not load your mail.");
		} finally {
			if (gen === generation) setLoading(false);
		}
	}

	/** New mail at the top without losing what is loaded below it or the user's place. */
	async function refresh() {
		const q = query();
		if (!q || loading()) return;
		const gen = generation;
		try {
			const page = await api.listMessages({ ...q, limit: PAGE_SIZE });
			if (gen !== generation) return;
			const lastFresh = page.messages.at(-1);
			const at = lastFresh ? messages.findIndex((m) => m.id === lastFresh.id) : -1;
			if (!page.nextCursor) {
				setMessages(reconcile(page.messages, { key: "id" }));
				setCursor(null);
			} else if (at >= 0) {
				setMessages(reconcile([...page.messages, ...unwrap(messages).slice(at + 1)], { key: "id" }));
			} else {
				setMessages(reconcile(page.messages, { key: "id" }));
				setCursor(page.nextCursor);
			}
			setLoaded(true);
			save();
		} catch (err) {
			guard(err);
		}
	}

	createEffect(
		on(key, (k) => {
			if (!k || k === activeKey) return;
			activeKey = k;
			generation++;
			setSelected(new Set<string>());
			setError("");
			setLoading(false);
			const snapshot = recallList(k);
			if (snapshot) {
				setMessages(reconcile(snapshot.messages, { key: "id" }));
				setCursor(snapshot.cursor);
				setCurrentId(snapshot.currentId);
				setLoaded(true);
				queueMicrotask(() => focusRow(snapshot.currentId));
				void refresh();
			} else {
				setMessages([]);
				setCursor(null);
				setCurrentId(null);
				setLoaded(false);
				void load(null);
			}
		}),
	);

	/** An observer only reports changes: if the sentinel is still on screen after a page (a tall window), observing it anew reports it again. */
	function rearmSentinel() {
		if (!observer || !sentinel) return;
		observer.unobserve(sentinel);
		observer.observe(sentinel);
	}

	onMount(() => {
		observer = new IntersectionObserver(
			(entries) => {
				if (entries.some((e) => e.isIntersecting) && cursor() && !loading() && !error()) void load(cursor());
			},
			{ rootMargin: "600px 0px" },
		);
		if (sentinel) observer.observe(sentinel);
		const timer = setInterval(() => {
			if (document.visibilityState === "visible") void refresh();
		}, REFRESH_MS);
		onCleanup(() => {
			observer?.disconnect();
			clearInterval(timer);
		});
	});
	onCleanup(save);

	// Keyboard cursor: a real focus on the row's link, so it is visible and read out.
	function focusRow(id: string | null) {
		if (!id || !listEl) return;
		const link = listEl.querySelector<HTMLAnchorElement>(`li[data-id="${CSS.escape(id)}"] .row-link`);
		if (!link) return;
		link.focus({ preventScroll: true });
		link.scrollIntoView({ block: "nearest" });
	}

	async function move(step: 1 | -1) {
		const i = messages.findIndex((m) => m.id === currentId());
		let next = i < 0 ? 0 : i + step;
		if (next >= messages.length && cursor() && !loading()) {
			await load(cursor());
			next = Math.min(next, messages.length - 1);
		}
		const target = messages[Math.max(0, Math.min(next, messages.length - 1))];
		if (!target) return;
		setCurrentId(target.id);
		focusRow(target.id);
	}

	const open = (id: string | null) => {
		if (id) navigate(`/message/${encodeURIComponent(id)}`);
	};

	/** The selection, or the row under the keyboard cursor when nothing is ticked. */
	const targets = () => (selected().size > 0 ? [...selected()] : currentId() ? [currentId() as string] : []);

	useShortcuts({
		next: () => void move(1),
		previous: () => void move(-1),
		open: () => open(currentId()),
		delete: () => {
			const ids = targets();
			if (ids.length > 0) void (props.view === "trash" ? moveOut(ids, "restore") : moveOut(ids, "trash"));
		},
	});

	function toggle(id: string, checked: boolean) {
		const next = new Set(selected());
		if (checked) next.add(id);
		else next.delete(id);
		setSelected(next);
	}

	async function markSeen(ids: string[], seen: boolean) {
		try {
			await api.patchMessages({ ids, seen });
			setMessages((m) => ids.includes(m.id), "seen", seen);
			save();
			showToast({ text: `${plural(ids.length, "message")} marked ${seen ? "read" : "unread"}.` });
		} catch (err) {
			if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "That did not work.", error: true });
		}
	}

	/** Delete (to Trash) or Restore: the rows leave this list; a toast offers the way back. */
	async function moveOut(ids: string[], folder: "trash" | "restore") {
		try {
			await api.patchMessages({ ids, folder });
		} catch (err) {
			if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "That did not work.", error: true });
			return;
		}
		const after = messages.findIndex((m) => ids.includes(m.id));
		setMessages(
			reconcile(
				unwrap(messages).filter((m) => !ids.includes(m.id)),
				{ key: "id" },
			),
		);
		setSelected(new Set<string>());
		const landing = messages[Math.min(Math.max(after, 0), messages.length - 1)]?.id ?? null;
		setCurrentId(landing);
		save();
		queueMicrotask(() => focusRow(landing));
		void refreshStatus();
		const n = plural(ids.length, "message");
		showToast({
			text: folder === "trash" ? `${n} moved to Trash.` : `${n} restored.`,
			action: {
				label: "Undo",
				run: async () => {
					try {
						await api.patchMessages({ ids, folder: folder === "trash" ? "restore" : "trash" });
						await refresh();
					} catch (err) {
						if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "Undo failed.", error: true });
					}
				},
			},
		});
	}

	const allSelected = () => messages.length > 0 && messages.every((m) => selected().has(m.id));

	return (
		<section class="mailbox" aria-labelledby="list-heading">
			<div class="list-head">
				<h1 id="list-heading">{heading()}</h1>
				<Show when={props.view === "search"}>
					<SearchFilters />
				</Show>
			</div>
			<Show when={query()} fallback={<p class="empty">Type words in the search box, or choose a filter, to search your mail.</p>}>
				<SelectionToolbar
					view={props.view}
					count={selected().size}
					total={messages.length}
					allSelected={allSelected()}
					onSelectAll={(all) => setSelected(new Set<string>(all ? messages.map((m) => m.id) : []))}
					onSeen={(seen) => void markSeen([...selected()], seen)}
					onTrash={() => void moveOut([...selected()], "trash")}
					onRestore={() => void moveOut([...selected()], "restore")}
					onRefresh={() => void (loaded() ? refresh() : load(null))}
				/>
				<Switch>
					<Match when={loaded() && messages.length === 0 && !error()}>
						<p class="empty">{EMPTY[props.view]}</p>
					</Match>
					<Match when={messages.length > 0}>
						<ul class="message-list" ref={listEl} aria-label={heading()}>
							<For each={messages}>
								{(m) => (
									<MessageRow
										message={m}
										selected={selected().has(m.id)}
										current={currentId() === m.id}
										onToggle={(checked) => toggle(m.id, checked)}
										onFocus={() => setCurrentId(m.id)}
									/>
								)}
							</For>
						</ul>
					</Match>
				</Switch>
				<Show when={error()}>
					<div role="alert" class="notice notice-error">
						<p>{error()}</p>
						<button type="button" class="button" onClick={() => load(loaded() ? cursor() : null)}>
							Retry
						</button>
					</div>
				</Show>
				<Show when={loading()}>
					<Loading />
				</Show>
				<Show when={cursor() && !loading() && !error()}>
					<button type="button" class="button load-more" onClick={() => load(cursor())}>
						Load more
					</button>
				</Show>
			</Show>
			<div ref={sentinel} class="sentinel" aria-hidden="true" />
		</section>
	);
}
