import { A } from "@solidjs/router";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { api, type MessageSummary } from "../api";
import { StatusTag } from "../components/status-tag";
import { senderName, shortDate } from "../format";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";

const PAGE_SIZE = 50;

export default function Mailbox() {
	const guard = useSessionGuard();
	const [messages, setMessages] = createSignal<MessageSummary[]>([]);
	const [cursor, setCursor] = createSignal<string | null>(null);
	const [loading, setLoading] = createSignal(true);
	const [loaded, setLoaded] = createSignal(false);
	const [error, setError] = createSignal("");
	useTitle(() => "Inbox");

	// Keyset paging: each page starts after the last id seen, so new arrivals never shift it.
	async function load(after: string | null) {
		setLoading(true);
		setError("");
		try {
			const page = await api.listMessages({ limit: PAGE_SIZE, cursor: after });
			setMessages((prev) => (after ? [...prev, ...page.messages] : page.messages));
			setCursor(page.nextCursor);
			setLoaded(true);
		} catch (err) {
			if (!guard(err)) setError(err instanceof Error ? err.message : "Could not load your mail.");
		} finally {
			setLoading(false);
		}
	}
	void load(null);

	return (
		<section aria-labelledby="mailbox-heading">
			<h1 id="mailbox-heading">Inbox</h1>
			<Switch>
				<Match when={loaded() && messages().length === 0}>
					<p class="empty">No mail is held for you. When your mail server is unreachable, new mail appears here.</p>
				</Match>
				<Match when={messages().length > 0}>
					<ul class="message-list">
						<For each={messages()}>{(message) => <MessageRow message={message} />}</For>
					</ul>
				</Match>
			</Switch>
			<Show when={error()}>
				<div role="alert" class="notice notice-error">
					<p>{error()}</p>
					<button type="button" class="button" onClick={() => load(cursor())}>
						Try again
					</button>
				</div>
			</Show>
			<Show when={loading()}>
				<p class="loading" role="status">
					Loading…
				</p>
			</Show>
			<Show when={cursor() && !loading() && !error()}>
				<button type="button" class="button load-more" onClick={() => load(cursor())}>
					Load more
				</button>
			</Show>
		</section>
	);
}

function MessageRow(props: { message: MessageSummary }) {
	const m = () => props.message;
	return (
		<li>
			<A href={`/message/${encodeURIComponent(m().id)}`} class="message-row" classList={{ unread: !m().seen }}>
				<span class="row-from">
					<Show when={!m().seen}>
						<span class="visually-hidden">Unread, </span>
					</Show>
					{senderName(m().from) || "(unknown sender)"}
				</span>
				<span class="row-subject">{m().subject || "(no subject)"}</span>
				<span class="row-status">
					<StatusTag status={m().status} />
				</span>
				<span class="row-meta">
					<Show when={m().hasAttachments}>
						<PaperclipIcon />
						<span class="visually-hidden">Has attachments, </span>
					</Show>
					<time datetime={m().receivedAt} title={new Date(m().receivedAt).toLocaleString()}>
						{shortDate(m().receivedAt)}
					</time>
				</span>
			</A>
		</li>
	);
}

function PaperclipIcon() {
	return (
		<svg class="icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
			<path
				fill="none"
				stroke="currentColor"
				stroke-width="2"
				stroke-linecap="round"
				stroke-linejoin="round"
				d="m21 11-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7"
			/>
		</svg>
	);
}
