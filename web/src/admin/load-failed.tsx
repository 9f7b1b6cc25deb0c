import { Show } from "solid-js";
import { errorText } from "./errors";

/** A page or list that would not load: the API's words (or `fallback`), and a way to try again where there is one. */
export function LoadFailed(props: { error: unknown; fallback: string; retry?: () => unknown }) {
	return (
		<div role="alert" class="notice notice-error">
			<p>{errorText(props.error, props.fallback)}</p>
			<Show when={props.retry}>
				{(retry) => (
					<button type="button" class="button" onClick={() => void retry()()}>
						Try again
					</button>
				)}
			</Show>
		</div>
	);
}
