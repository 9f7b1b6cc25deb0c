// Plain-text mail with its links made clickable. Each piece becomes a text node or an <a>
// built by Solid: nothing from the mail is ever parsed as HTML.
import { For, Show } from "solid-js";
import { linkify } from "../lib/linkify";

export function PlainText(props: { text: string }) {
	return (
		<div class="mail-text">
			<For each={linkify(props.text)}>
				{(piece) => (
					<Show when={piece.href} fallback={piece.text}>
						{(href) => (
							<a href={href()} rel="noopener noreferrer nofollow" target="_blank">
								{piece.text}
							</a>
						)}
					</Show>
				)}
			</For>
		</div>
	);
}
