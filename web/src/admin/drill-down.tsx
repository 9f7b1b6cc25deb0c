// A partner's drill-down into one of its customers: the admin pages, acting for that customer
// (every admin call carries ?customer=ID while the partner is in here), under a banner that
// says whose settings these are and leads back to the customer list. A customer that is not
// the partner's is the API's 404, shown as a page; the partner's own company is /admin.
import { A, Navigate, useLocation } from "@solidjs/router";
import { createSignal, type JSX, Match, onCleanup, Switch } from "solid-js";
import { setAdminCustomer } from "../api";
import { Loading } from "../components/loading";
import { partnerApi } from "../partner/api";
import { user, useSessionGuard } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden, isNotFound } from "./errors";
import { LoadFailed } from "./load-failed";
import { AdminScopeProvider, type ManagedCustomer } from "./scope";

export function DrillDown(props: { customerId: string; children: JSX.Element }) {
	const base = `/partner/customers/${encodeURIComponent(props.customerId)}`;
	setAdminCustomer(props.customerId);
	onCleanup(() => setAdminCustomer(null));
	const location = useLocation();
	const guard = useSessionGuard();
	const [customer, setCustomer] = createSignal<ManagedCustomer>();
	const [error, setError] = createSignal<unknown>();
	const own = () => user()?.customerId === props.customerId;

	async function load() {
		setError(undefined);
		try {
			const c = await partnerApi.customer(props.customerId);
			setCustomer({ id: c.id, name: c.name, partnerName: c.partner.name });
		} catch (err) {
			if (!guard(err)) setError(err);
		}
	}
	if (!own()) void load();

	return (
		<Switch>
			{/* The partner's own company is not managed "on behalf": it is the partner's /admin. */}
			<Match when={own()}>
				<Navigate href={`/admin${location.pathname.slice(base.length)}${location.search}`} />
			</Match>
			<Match when={customer()}>
				{(c) => (
					<AdminScopeProvider value={{ base, customer: c() }}>
						<section class="partner-banner" aria-label="Customer you manage">
							<p>
								Managing <strong>{c().name}</strong> as {c().partnerName}
							</p>
							<A href="/partner" class="button">
								All customers
							</A>
						</section>
						{props.children}
					</AdminScopeProvider>
				)}
			</Match>
			<Match when={error()}>{(err) => <CustomerProblem error={err()} retry={() => void load()} />}</Match>
			<Match when={true}>
				<Loading />
			</Match>
		</Switch>
	);
}

/** Not the partner's customer (404), not a partner (403), or a failure: in the API's words. */
function CustomerProblem(props: { error: unknown; retry: () => void }) {
	useTitle(() => (isNotFound(props.error) ? "Customer not found" : "Customers"));
	return (
		<Switch>
			<Match when={isNotFound(props.error) || isForbidden(props.error)}>
				<section class="admin-forbidden" aria-labelledby="drill-down-problem">
					<h1 id="drill-down-problem">{isNotFound(props.error) ? "Customer not found" : "Customers are managed by their partner"}</h1>
					<p>{errorText(props.error, "")}</p>
					<p>
						<A href={isNotFound(props.error) ? "/partner" : "/"}>
							{isNotFound(props.error) ? "Back to your customers" : "Back to your inbox"}
						</A>
					</p>
				</section>
			</Match>
			<Match when={true}>
				<LoadFailed error={props.error} fallback="Could not load this customer." retry={props.retry} />
			</Match>
		</Switch>
	);
}
