// One line of a message list: a selection checkbox and a link that opens the message.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import type { MessageSummary } from "../api";
import { shortDate } from "../format";
import { addressesOf } from "../lib/addresses";
import { PaperclipIcon } from "./icons";
import { StatusTag } from "./status-tag";

/** Names rather than addresses, as lists in every mail client show them. */
export function displayNames(header: string): string {
	const list = addressesOf(header);
	if (list.length === 0) return header.trim();
	return list.map((a) => a.name || a.email).join(", ");
}

export function MessageRow(props: {
	message: MessageSummary;
	selected: boolean;
	current: boolean;
	onToggle: (checked: boolean) => void;
	onFocus: () => void;
}) {
	const m = () => props.message;
	const outgoing = () => m().folder === "sent";
	const who = () => (outgoing() ? `To: ${displayNames(m().to) || "(no recipient)"}` : displayNames(m().from) || "(unknown sender)");
	const subject = () => m().subject || "(no subject)";
	return (
		<li class="row" classList={{ unread: !m().seen, selected: props.selected, current: props.current }} data-id={m().id}>
			<label class="row-check">
				<input
					type="checkbox"
					checked={props.selected}
					aria-label={`Select “${subject()}” from ${who()}`}
					onChange={(e) => props.onToggle(e.currentTarget.checked)}
					onFocus={props.onFocus}
				/>
			</label>
			<A href={`/message/${encodeURIComponent(m().id)}`} class="row-link" onFocus={props.onFocus}>
				<span class="row-from">
					<Show when={!m().seen}>
						<span class="unread-dot" aria-hidden="true" />
						<span class="visually-hidden">Unread, </span>
					</Show>
					{who()}
				</span>
				<span class="row-text">
					<span class="row-subject">{subject()}</span>
					<Show when={m().snippet}>
						<span class="row-snippet"> — {m().snippet}</span>
					</Show>
				</span>
				<span class="row-tags">
					<StatusTag status={m().status} folder={m().folder} />
				</span>
				<span class="row-meta">
					<Show when={m().hasAttachments}>
						<PaperclipIcon />
						<span class="visually-hidden">, has attachments, </span>
					</Show>
					<time datetime={m().receivedAt} title={new Date(m().receivedAt).toLocaleString()}>
						{shortDate(m().receivedAt)}
					</time>
				</span>
			</A>
		</li>
	);
}
