import { errorText } from "./errors";

/** A page or list that would not load: the API's words (or `fallback`), and a way to try again. */
export function LoadFailed(props: { error: unknown; fallback: string; retry: () => unknown }) {
	return (
		<div role="alert" class="notice notice-error">
			<p>{errorText(props.error, props.fallback)}</p>
			<button type="button" class="button" onClick={() => void props.retry()}>
				Try again
			</button>
		</div>
	);
}
