// One domain: its health and actions, where its mail goes, how outbound mail leaves, and its
// delivery policy. The data is the domain list's entry (the API has no GET for one domain).
import { useParams } from "@solidjs/router";
import { Match, Switch } from "solid-js";
import { Loading } from "../components/loading";
import { useTitle } from "../title";
import { BackLink, NotFoundPage } from "./back-link";
import { DeliveryForm } from "./delivery-form";
import { DeliveryLog } from "./delivery-log";
import { DiscoveryPanel } from "./discovery";
import { DomainSetup } from "./domain-setup";
import { useDomains } from "./domains-data";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { HealthPanel } from "./health-panel";
import { LoadFailed } from "./load-failed";
import { OutboundForm } from "./outbound-form";
import { PolicyForm } from "./policy-form";

export default function Domain() {
	const params = useParams<{ id: string }>();
	const { domains, error, loading, refresh } = useDomains();
	const domain = () => domains()?.find((d) => d.id === params.id);
	useTitle(() => domain()?.displayName ?? "Domain");

	return (
		<Switch>
			<Match when={isForbidden(error())}>
				<Forbidden detail={errorText(error(), "")} />
			</Match>
			<Match when={domain()}>
				{(d) => (
					<div class="admin-page">
						<BackLink list="/domains" listName="All domains" />
						<h1>{d().displayName}</h1>
						<div class="admin-sections">
							<DomainSetup domain={d()} onChanged={refresh} />
							<HealthPanel domain={d()} onChanged={refresh} />
							<DeliveryForm domain={d()} onSaved={refresh} />
							<OutboundForm domain={d()} onSaved={refresh} />
							<PolicyForm domain={d()} onSaved={refresh} />
							<DiscoveryPanel domain={d()} />
							<DeliveryLog domain={d()} />
						</div>
					</div>
				)}
			</Match>
			<Match when={error()}>
				<LoadFailed error={error()} fallback="Could not load this domain." retry={refresh} />
			</Match>
			<Match when={domains() && !loading()}>
				<NotFoundPage title="Domain not found" list="/domains" listName="All domains">
					This domain does not exist or is not one of your company's.
				</NotFoundPage>
			</Match>
			<Match when={true}>
				<Loading />
			</Match>
		</Switch>
	);
}
