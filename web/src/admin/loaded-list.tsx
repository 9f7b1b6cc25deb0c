// A list the page loaded and reloads (the domains, a partner's customers, the operator's
// partners): its Refresh button, and the list itself — why it would not load, that it is
// empty, or its items. A failed refresh keeps the last answer on screen.
import { type Accessor, type JSX, Match, Switch } from "solid-js";
import { Loading } from "../components/loading";
import { LoadFailed } from "./load-failed";

export function RefreshButton(props: { loading: boolean; onClick: () => unknown }) {
	return (
		<button type="button" class="button button-quiet" onClick={() => void props.onClick()} disabled={props.loading}>
			{props.loading ? "Refreshing…" : "Refresh"}
		</button>
	);
}

export function LoadedList<T>(props: {
	items: T[] | undefined;
	error: unknown;
	loading: boolean;
	/** Shown when the API's answer has no words of its own. */
	failText: string;
	retry?: () => unknown;
	empty: JSX.Element;
	children: (items: Accessor<T[]>) => JSX.Element;
}) {
	return (
		<Switch>
			<Match when={props.error && !props.items}>
				<LoadFailed error={props.error} fallback={props.failText} retry={props.retry} />
			</Match>
			<Match when={props.items?.length === 0}>
				<p class="empty">{props.empty}</p>
			</Match>
			<Match when={props.items}>{(items) => props.children(items)}</Match>
			<Match when={props.loading}>
				<Loading />
			</Match>
		</Switch>
	);
}
