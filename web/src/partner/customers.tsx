// The partner's dashboard (/partner): every customer with its health at a glance — domains
// down, mail held, each domain's state — the way into each one's settings, and a new customer.
import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { errorText, isForbidden } from "../admin/errors";
import { LoadedList, RefreshButton } from "../admin/loaded-list";
import { type OneTime, OneTimePassword } from "../components/one-time-password";
import { roleOnly } from "../components/role-only";
import { plural } from "../format";
import { useReloadable } from "../lib/create-form";
import { user } from "../session";
import { type CreatedCustomer, type PartnerCustomer, partnerApi } from "./api";
import { NewCustomerForm } from "./new-customer";

const STATES: Record<PartnerCustomer["domains"][number]["state"], string> = {
	up: "Up",
	down: "Down",
	draining: "Delivering held mail",
	held: "On hold",
};

export default roleOnly(
	{ role: "partner_admin", title: "Customers", denied: "The customer list is for partners' administrators." },
	CustomerList,
);

function CustomerList() {
	const { data, error, loading, refresh } = useReloadable(() => partnerApi.customers());
	const customers = () => data()?.customers;
	const [adding, setAdding] = createSignal(false);
	const [created, setCreated] = createSignal<OneTime | null>(null);

	function onCreated(c: CreatedCustomer, name: string) {
		setAdding(false);
		setCreated({
			title: `${name} is ready`,
			email: c.admin.email,
			password: c.admin.oneTimePassword,
			caution: `Not by email to ${c.admin.email}: that domain's mail is held here until you set where it goes.`,
		});
		void refresh();
	}

	const attention = () => customers()?.filter((c) => c.domainsDown > 0).length ?? 0;
	/** The partner's own company is administered under /admin, like any customer's own. */
	const settingsOf = (c: PartnerCustomer) =>
		c.id === user()?.customerId ? "/admin/domains" : `/partner/customers/${encodeURIComponent(c.id)}/domains`;

	return (
		<section class="admin partner-page" aria-labelledby="customers-title" aria-busy={loading()}>
			<div class="list-head">
				<h1 id="customers-title">Customers</h1>
				<RefreshButton loading={loading()} onClick={refresh} />
				<button
					type="button"
					class="button button-primary"
					aria-expanded={adding()}
					aria-controls="new-customer"
					onClick={() => {
						setCreated(null);
						setAdding(!adding());
					}}
				>
					New customer
				</button>
			</div>
			<OneTimePassword created={created()} onDone={() => setCreated(null)} />
			<div id="new-customer">
				<Show when={adding()}>
					<NewCustomerForm onCreated={onCreated} onCancel={() => setAdding(false)} />
				</Show>
			</div>
			<Show
				when={!isForbidden(error())}
				fallback={
					<p role="alert" class="notice notice-error">
						{errorText(error(), "")}
					</p>
				}
			>
				<LoadedList
					items={customers()}
					error={error()}
					loading={loading()}
					failText="Could not load your customers."
					retry={refresh}
					empty="No customers yet."
				>
					{(list) => (
						<>
							<p class="customer-summary" classList={{ "customer-summary-alert": attention() > 0 }}>
								{attention() > 0
									? `${plural(attention(), "customer")} of ${list().length} with a domain down.`
									: "Every customer's domains are up."}
							</p>
							<ul class="domain-cards customer-cards" aria-label="Customers">
								<For each={list()}>
									{(c) => (
										<li class="card customer-card" classList={{ "customer-down": c.domainsDown > 0 }}>
											<h2>
												<A href={settingsOf(c)}>{c.name}</A>
												<Show when={c.id === user()?.customerId}>
													<span class="tag tag-pending">Your company</span>
												</Show>
											</h2>
											<Show when={c.domains.length > 0} fallback={<p class="muted small">No domains yet.</p>}>
												<p class="health-line">
													<span class={`health ${c.domainsDown > 0 ? "health-down" : "health-up"}`}>
														{c.domainsDown > 0 ? `${plural(c.domainsDown, "domain")} down` : "All up"}
													</span>
													<span>{c.held > 0 ? `${plural(c.held, "message")} held` : "No mail held"}</span>
												</p>
												<ul class="customer-domains" aria-label={`${c.name}'s domains`}>
													<For each={c.domains}>
														{(d) => (
															<li>
																<span class="customer-domain">{d.name}</span>{" "}
																<span class={`health health-${d.state}`}>{STATES[d.state]}</span>
																<Show when={d.storageNearLimit}>
																	{" "}
																	<span class="tag tag-failed">Storage nearly full</span>
																</Show>
															</li>
														)}
													</For>
												</ul>
											</Show>
										</li>
									)}
								</For>
							</ul>
						</>
					)}
				</LoadedList>
			</Show>
		</section>
	);
}
