// The body of one message: sanitised HTML in a sandboxed frame, or escaped plain text.
import { createSignal, Match, Show, Switch } from "solid-js";
import { type MessageDetail, rawUrl, withImages } from "../api";
import { PlainText } from "./plain-text";

export function MessageBody(props: { message: MessageDetail }) {
	// Per view, not remembered: the next message starts blocked again.
	const [images, setImages] = createSignal(false);
	return (
		<Switch fallback={<p class="muted no-body">This message has no text.</p>}>
			<Match when={props.message.parseError}>
				<div class="notice" role="note">
					<p>This message could not be displayed. You can still download the original.</p>
					<p>
						<a href={rawUrl(props.message.id)} download="">
							Download original (.eml)
						</a>
					</p>
				</div>
			</Match>
			<Match when={props.message.bodyUrl}>
				{(bodyUrl) => (
					<>
						<Show when={props.message.hasRemoteContent && !images()}>
							<p class="remote-bar">
								<span>Remote images are blocked to protect your privacy.</span>
								<button type="button" class="button button-quiet" onClick={() => setImages(true)}>
									Show images
								</button>
							</p>
						</Show>
						{/* No scripts, no same-origin, no forms. Links may open a new tab, outside the sandbox (they carry
						    target=_blank and rel=noopener from the server); the frame's own CSP blocks remote loads. */}
						<iframe
							class="mail-frame"
							sandbox="allow-popups allow-popups-to-escape-sandbox"
							title="Message body"
							src={images() ? withImages(bodyUrl()) : bodyUrl()}
							referrerpolicy="no-referrer"
						/>
					</>
				)}
			</Match>
			<Match when={props.message.text}>{(text) => <PlainText text={text()} />}</Match>
		</Switch>
	);
}
