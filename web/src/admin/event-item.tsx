// One line of a log, as the Activity page and a domain's delivery log show it: when (to the
// second, the full date on hover), what in words with its code, a summary, and where.
import { Show } from "solid-js";
import { longDate } from "../format";

/** A log needs the date and the second, whatever day it is. */
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function EventItem(props: { at: string; label: string; kind: string; family: string; summary: string; meta: string }) {
	return (
		<li class="event">
			<time class="event-time" datetime={props.at} title={longDate(props.at)}>
				{when(props.at)}
			</time>
			<div class="event-body">
				<p class="event-kind">
					<span class={`event-family event-${props.family}`}>{props.label}</span> <code class="muted">{props.kind}</code>
				</p>
				<Show when={props.summary}>
					<p class="event-detail">{props.summary}</p>
				</Show>
				<p class="event-meta muted">{props.meta}</p>
			</div>
		</li>
	);
}
