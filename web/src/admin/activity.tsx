// The company's audit trail, newest first, keyset-paged with "Load more", filtered by kind
// through the URL so a filtered view can be bookmarked or shared with a colleague. What happened
// to each message is each domain's delivery log (delivery-log.tsx), on the domain's page.
import { useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import type { AdminEvent } from "../../../src/api/admin-types";
import { adminApi, adminUrl } from "../api";
import { user } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden } from "./errors";
import { EventItem } from "./event-item";
import { EVENT_FILTERS, eventLabel, eventSummary } from "./event-text";
import { Forbidden } from "./forbidden";
import { ListFooter, useKeysetList } from "./keyset-list";
import { LoadFailed } from "./load-failed";

const PAGE_SIZE = 50;

export default function Activity() {
	useTitle(() => "Activity");
	const [params, setParams] = useSearchParams();
	const kind = () => String(params.kind ?? "");
	const list = useKeysetList(async (after) => {
		const page = await adminApi.events({ kind: kind(), cursor: after, limit: PAGE_SIZE });
		return { items: page.events, nextCursor: page.nextCursor };
	});
	const { items: events, loading, loaded, error, load } = list;
	const [domainNames, setDomainNames] = createSignal<Map<string, string>>(new Map());

	createEffect(on(kind, () => void load(null)));
	// Names for the domain column; the log itself only carries ids. Not worth an error if it fails.
	adminApi.domains().then(
		({ domains }) => setDomainNames(new Map(domains.map((d) => [d.id, d.displayName]))),
		() => {},
	);

	const actor = (e: AdminEvent) => {
		if (!e.actorUserId) return "";
		if (e.actorUserId === user()?.id) return "by you";
		if (!e.actor) return `by a deleted account (${e.actorUserId})`;
		const role = e.actor.role === "partner_admin" ? " (partner)" : e.actor.role === "operator" ? " (operator)" : "";
		return `by ${e.actor.email}${role}`;
	};

	return (
		<Show when={!isForbidden(error())} fallback={<Forbidden detail={errorText(error(), "")} />}>
			<section class="admin-page" aria-labelledby="activity-title" aria-busy={loading()}>
				<div class="list-head">
					<h1 id="activity-title">Activity</h1>
					<div class="field-inline">
						<label for="activity-kind">Show</label>
						<select id="activity-kind" onChange={(e) => setParams({ kind: e.currentTarget.value || undefined })}>
							<For each={EVENT_FILTERS}>
								{(f) => (
									<option value={f.prefix} selected={f.prefix === kind()}>
										{f.label}
									</option>
								)}
							</For>
						</select>
					</div>
					<button type="button" class="button button-quiet" onClick={() => void load(null)} disabled={loading()}>
						Refresh
					</button>
					<a class="button button-quiet" href={adminUrl("/events.csv", { kind: kind() })} download="activity.csv">
						Download CSV
					</a>
				</div>
				<p class="muted small">
					What people and the service did for your company. What happened to each message is in each domain's delivery log, on the domain's
					page.
				</p>
				<Show when={error()}>
					<LoadFailed error={error()} fallback="Could not load the activity log." />
				</Show>
				<Show when={loaded() && events().length === 0 && !error()}>
					<p class="empty">Nothing here yet.</p>
				</Show>
				<ol class="event-list">
					<For each={events()}>
						{(e) => (
							<EventItem
								at={e.at}
								label={eventLabel(e.kind)}
								kind={e.kind}
								family={e.kind.split(".")[0] ?? ""}
								summary={eventSummary(e)}
								meta={[
									e.domainId ? (domainNames().get(e.domainId) ?? e.domainId) : "",
									actor(e),
									e.messageId ? `message ${e.messageId}` : "",
								]
									.filter(Boolean)
									.join(" · ")}
							/>
						)}
					</For>
				</ol>
				<ListFooter list={list} />
			</section>
		</Show>
	);
}
