// What a page or list shows while it waits for its first answer: a status, so a screen reader
// says it once without moving focus.
import type { JSX } from "solid-js";

export function Loading(props: { children?: JSX.Element }) {
	return (
		<p class="loading" role="status">
			{props.children ?? "Loading…"}
		</p>
	);
}
