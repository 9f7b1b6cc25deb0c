import { A, useParams } from "@solidjs/router";
import { createEffect, createResource, For, Match, Show, Switch } from "solid-js";
import { ApiError, type Attachment, api, attachmentUrl, type MessageDetail, rawUrl } from "../api";
import { StatusTag } from "../components/status-tag";
import { humanSize, longDate } from "../format";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";

export default function Message() {
	const params = useParams<{ id: string }>();
	const guard = useSessionGuard();
	const [message] = createResource(() => params.id, api.getMessage);
	const errorText = () => {
		const err = message.error;
		if (err instanceof ApiError && err.status === 404) return "This message does not exist or is not in your mailbox.";
		return err instanceof Error ? err.message : "Could not load this message.";
	};

	createEffect(() => {
		if (message.state === "errored") guard(message.error);
	});
	useTitle(() => (message.state === "ready" ? message().headers?.subject || "(no subject)" : "Message"));

	return (
		<article class="reader" aria-busy={message.loading}>
			<p>
				<A href="/" class="back-link">
					← Back to inbox
				</A>
			</p>
			<Switch>
				<Match when={message.state === "errored"}>
					<div role="alert" class="notice notice-error">
						<p>{errorText()}</p>
					</div>
				</Match>
				<Match when={message.state === "ready" && message()}>{(m) => <Reader message={m()} />}</Match>
				<Match when={message.loading}>
					<p class="loading" role="status">
						Loading…
					</p>
				</Match>
			</Switch>
		</article>
	);
}

function Reader(props: { message: MessageDetail }) {
	const m = () => props.message;
	// Headers are null when the message could not be parsed; the envelope is all we know then.
	const from = () => m().headers?.from || m().envelope.from;
	const to = () => m().headers?.to || m().envelope.to;
	const date = () => m().headers?.date ?? null;

	return (
		<>
			<h1 class="reader-subject">{m().headers?.subject || "(no subject)"}</h1>
			<dl class="reader-headers">
				<dt>From</dt>
				<dd>{from()}</dd>
				<dt>To</dt>
				<dd>{to()}</dd>
				<Show when={m().headers?.cc}>
					<dt>Cc</dt>
					<dd>{m().headers?.cc}</dd>
				</Show>
				<dt>Date</dt>
				<dd>{longDate(date() ?? m().receivedAt)}</dd>
				<dt>Status</dt>
				<dd>
					<StatusTag status={m().status} />
				</dd>
			</dl>
			<p class="reader-actions">
				<a class="button" href={rawUrl(m().id)} download="">
					Download original (.eml)
				</a>
				<span class="muted">{humanSize(m().size)}</span>
			</p>
			<Show when={m().attachments.length > 0}>
				<section aria-labelledby="attachments-heading" class="attachments">
					<h2 id="attachments-heading">Attachments</h2>
					<ul>
						<For each={m().attachments}>{(a) => <AttachmentLink messageId={m().id} attachment={a} />}</For>
					</ul>
				</section>
			</Show>
			<Body message={m()} />
		</>
	);
}

function AttachmentLink(props: { messageId: string; attachment: Attachment }) {
	const name = () => props.attachment.filename || `attachment-${props.attachment.index}`;
	return (
		<li>
			<a href={attachmentUrl(props.messageId, props.attachment.index)} download={name()}>
				{name()}
			</a>{" "}
			<span class="muted">{humanSize(props.attachment.size)}</span>
		</li>
	);
}

function Body(props: { message: MessageDetail }) {
	return (
		<Switch fallback={<p class="muted">This message has no text.</p>}>
			<Match when={props.message.parseError}>
				<div class="notice" role="note">
					<p>This message could not be displayed; download the original.</p>
					<p>
						<a href={rawUrl(props.message.id)} download="">
							Download original (.eml)
						</a>
					</p>
				</div>
			</Match>
			<Match when={props.message.html}>
				{(html) => (
					// Empty sandbox: no scripts, no same-origin, no forms, no popups. The frame also inherits
					// the app's CSP, so the mail cannot fetch remote images or trackers.
					<iframe class="mail-frame" sandbox="" title="Message body" srcdoc={html()} referrerpolicy="no-referrer" />
				)}
			</Match>
			<Match when={props.message.text}>{(text) => <pre class="mail-text">{text()}</pre>}</Match>
		</Switch>
	);
}
