// A keyset-paged admin list (activity, users, groups): the first page again on load(null), the
// next one appended on load(cursor); an answer for an earlier query (a new filter or search
// since) never lands in the current one. `ListFooter` is its "Load more" and first "Loading…".
import { createSignal, Show } from "solid-js";
import { Loading } from "../components/loading";
import { useSessionGuard } from "../session";

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
