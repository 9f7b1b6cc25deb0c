// A keyset-paged admin list (activity, users, groups): the first page again on load(null), the
// next one appended on load(cursor); an answer for an earlier query (a new filter or search
// since) never lands in the current one. `ListFooter` is its "Load more" and first "Loading…";
// `KeysetItems` the whole list under the page's controls.
import { createSignal, For, type JSX, Show } from "solid-js";
import { Loading } from "../components/loading";
import { useSessionGuard } from "../session";
import { LoadFailed } from "./load-failed";

export interface Page<T> {
	items: T[];
	/** null on the last page. */
	nextCursor: string | null;
}

export function useKeysetList<T>(fetchPage: (after: string | null) => Promise<Page<T>>) {
	const guard = useSessionGuard();
	const [items, setItems] = createSignal<T[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [loading, setLoading] = createSignal(false);
	const [loaded, setLoaded] = createSignal(false);
	const [error, setError] = createSignal<unknown>();
	let generation = 0;

	async function load(after: string | null) {
		const gen = after ? generation : ++generation;
		setLoading(true);
		setError(undefined);
		try {
			const page = await fetchPage(after);
			if (gen !== generation) return;
			setItems((old) => (after ? [...old, ...page.items] : page.items));
			setCursor(page.nextCursor);
			setLoaded(true);
		} catch (err) {
			if (gen === generation && !guard(err)) setError(err);
		} finally {
			if (gen === generation) setLoading(false);
		}
	}

	return { items, cursor, loading, loaded, error, load };
}

export type KeysetList<T> = ReturnType<typeof useKeysetList<T>>;

export function ListFooter<T>(props: { list: KeysetList<T> }) {
	return (
		<>
			<Show when={props.list.cursor()}>
				{(next) => (
					<button type="button" class="button load-more" onClick={() => void props.list.load(next())} disabled={props.list.loading()}>
						{props.list.loading() ? "Loading…" : "Load more"}
					</button>
				)}
			</Show>
			<Show when={props.list.loading() && !props.list.loaded()}>
				<Loading />
			</Show>
		</>
	);
}

/** Why the list would not load (with a retry), that it has nothing, its items, and its footer. */
export function KeysetItems<T>(props: {
	list: KeysetList<T>;
	/** The list's accessible name: "Users". */
	label: string;
	failText: string;
	empty: string;
	children: (item: T) => JSX.Element;
}) {
	return (
		<>
			<Show when={props.list.error()}>
				<LoadFailed error={props.list.error()} fallback={props.failText} retry={() => props.list.load(null)} />
			</Show>
			<Show when={props.list.loaded() && props.list.items().length === 0 && !props.list.error()}>
				<p class="empty">{props.empty}</p>
			</Show>
			<ul class="user-list" aria-label={props.label}>
				<For each={props.list.items()}>{props.children}</For>
			</ul>
			<ListFooter list={props.list} />
		</>
	);
}
