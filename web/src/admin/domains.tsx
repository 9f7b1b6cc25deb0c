// Company settings → Domains: one card per domain with its health, counts and destination,
// so an admin sees at once which server is down and how much mail waits for it.
import { A } from "@solidjs/router";
import { For, Match, Show, Switch } from "solid-js";
import { plural } from "../format";
import { useTitle } from "../title";
import { AddDomainForm } from "./add-domain-form";
import { useDomains } from "./domains-data";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { Counts, DestinationText, HealthFacts } from "./health";
import { LoadedList, RefreshButton } from "./loaded-list";
import { useAdminHref, useCompanyName } from "./scope";

export default function Domains() {
	useTitle(() => "Domains");
	const to = useAdminHref();
	const company = useCompanyName();
	const { domains, error, loading, refresh } = useDomains();
	return (
		<Switch>
			<Match when={isForbidden(error())}>
				<Forbidden detail={errorText(error(), "")} />
			</Match>
			<Match when={true}>
				<section class="admin-page" aria-labelledby="domains-title" aria-busy={loading()}>
					<div class="list-head">
						<h1 id="domains-title">Domains</h1>
						<RefreshButton loading={loading()} onClick={refresh} />
					</div>
					<LoadedList
						items={domains()}
						error={error()}
						loading={loading()}
						failText="Could not load your domains."
						empty={`${company()} has no domains yet.`}
					>
						{(list) => (
							<ul class="domain-cards">
								<For each={list()}>
									{(d) => (
										<li class="card domain-card">
											<h2>
												<A href={to(`/domains/${encodeURIComponent(d.id)}`)}>{d.displayName}</A>
												<Show when={!d.verification.verified}>
													{" "}
													<span class="tag tag-failed">Not verified</span>
												</Show>
											</h2>
											<HealthFacts domain={d} />
											<Counts domain={d} />
											<p class="destination-line">
												<span class="muted">Delivery to </span>
												<DestinationText domain={d} />
											</p>
											<Show when={d.counts.spooled > 0}>
												<p class="muted small">{plural(d.counts.spooled, "message")} held here for your server.</p>
											</Show>
											<Show when={d.storage.nearLimit}>
												<p class="notice notice-error" role="status">
													This domain's spool uses {Math.round((d.storage.bytes / d.storage.limitBytes) * 100)} % of its storage. At the
													limit new mail is deferred (senders retry it): contact your provider now.
												</p>
											</Show>
										</li>
									)}
								</For>
							</ul>
						)}
					</LoadedList>
					<AddDomainForm onAdded={refresh} />
				</section>
			</Match>
		</Switch>
	);
}
