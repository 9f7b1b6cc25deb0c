// One message on screen: headers, delivery state, body, attachments and the raw headers.
import { createSignal, Show } from "solid-js";
import { type MessageDetail, rawUrl } from "../api";
import { humanSize, longDate } from "../format";
import { addressesOf } from "../lib/addresses";
import { AttachmentList } from "./attachment-list";
import { MessageBody } from "./message-body";
import { RecipientList } from "./recipient-list";
import { StatusTag } from "./status-tag";

export function MessageView(props: { message: MessageDetail }) {
	const m = () => props.message;
	const [showHeaders, setShowHeaders] = createSignal(false);
	// Headers are null when the message could not be parsed; the envelope is all we know then.
	const from = () => m().headers?.from || m().envelope.from;
	const sender = () => addressesOf(from())[0];
	const to = () => m().headers?.to || m().envelope.to;
	const date = () => m().headers?.date ?? m().receivedAt;

	return (
		<>
			<h1 class="reader-subject" id="reader-subject">
				{m().headers?.subject || "(no subject)"}
			</h1>
			<div class="reader-meta">
				<div class="reader-from">
					<Show when={sender()} fallback={<strong>{from() || "(unknown sender)"}</strong>}>
						{(s) => (
							<>
								<strong>{s().name || s().email}</strong>
								<Show when={s().name}>
									<span class="muted"> &lt;{s().email}&gt;</span>
								</Show>
							</>
						)}
					</Show>
				</div>
				<time class="reader-date muted" datetime={m().receivedAt}>
					{longDate(date())}
				</time>
			</div>
			<dl class="reader-headers">
				<dt>To</dt>
				<dd>{to()}</dd>
				<Show when={m().headers?.cc}>
					<dt>Cc</dt>
					<dd>{m().headers?.cc}</dd>
				</Show>
				<Show when={m().headers?.replyTo}>
					<dt>Reply-To</dt>
					<dd>{m().headers?.replyTo}</dd>
				</Show>
				<Show when={m().folder !== "sent"}>
					<dt>Status</dt>
					<dd>
						<StatusTag status={m().status} folder={m().folder} />
					</dd>
				</Show>
			</dl>
			<Show when={m().recipients.length > 0}>
				<RecipientList recipients={m().recipients} />
			</Show>
			<MessageBody message={m()} />
			<Show when={m().attachments.length > 0}>
				<AttachmentList attachments={m().attachments} />
			</Show>
			<div class="reader-extras">
				<button
					type="button"
					class="button button-quiet"
					aria-expanded={showHeaders()}
					aria-controls="raw-headers"
					onClick={() => setShowHeaders(!showHeaders())}
				>
					{showHeaders() ? "Hide headers" : "Show headers"}
				</button>
				<a href={rawUrl(m().id)} class="button button-quiet" download="">
					View original
				</a>
				<span class="muted">{humanSize(m().size)}</span>
			</div>
			<Show when={showHeaders()}>
				<pre id="raw-headers" class="raw-headers" role="document" tabindex="0" aria-label="Message headers">
					{m().rawHeaders}
				</pre>
			</Show>
		</>
	);
}
