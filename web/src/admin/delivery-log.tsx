// A domain's delivery log, on its page: a line per message and event (received, delivered,
// deferred, given up, the sender's notice), newest first, from the domain's own object. The
// company's Activity page is its audit log: what people did, not what happened to each message.
import { createEffect, For, on, Show } from "solid-js";
import type { AdminDomain, DeliveryLogPage } from "../../../src/api/domain-types";
import { adminRequest } from "../api";
import { EventItem } from "./event-item";
import { DELIVERY_LOG_LABELS, deliveryLogSummary } from "./event-text";
import { ListFooter, useKeysetList } from "./keyset-list";
import { LoadFailed } from "./load-failed";

const PAGE_SIZE = 50;

export function DeliveryLog(props: { domain: AdminDomain }) {
	const list = useKeysetList(async (after) => {
		const page = await adminRequest<DeliveryLogPage>("GET", `/domains/${encodeURIComponent(props.domain.id)}/log`, undefined, {
			cursor: after,
			limit: String(PAGE_SIZE),
		});
		return { items: page.entries, nextCursor: page.nextCursor };
	});
	createEffect(
		on(
			() => props.domain.id,
			() => void list.load(null),
		),
	);

	return (
		<section class="card admin-section" aria-labelledby="delivery-log-title" aria-busy={list.loading()}>
			<div class="list-head">
				<h2 id="delivery-log-title">Delivery log</h2>
				<button type="button" class="button button-quiet" onClick={() => void list.load(null)} disabled={list.loading()}>
					Refresh
				</button>
			</div>
			<p class="muted small">What happened to each message for {props.domain.displayName}, newest first; kept 90 days.</p>
			<Show when={list.error()}>
				<LoadFailed error={list.error()} fallback="Could not load the delivery log." retry={() => list.load(null)} />
			</Show>
			<Show when={list.loaded() && list.items().length === 0 && !list.error()}>
				<p class="empty">No mail for this domain yet.</p>
			</Show>
			<ol class="event-list" aria-label="Delivery log">
				<For each={list.items()}>
					{(e) => (
						<EventItem
							at={e.at}
							label={DELIVERY_LOG_LABELS[e.kind]}
							kind={e.kind}
							family={`log-${e.kind.split(".")[0]}`}
							summary={deliveryLogSummary(e)}
							meta={`message ${e.messageId}`}
						/>
					)}
				</For>
			</ol>
			<ListFooter list={list} />
		</section>
	);
}
