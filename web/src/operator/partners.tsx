// The operator's page (/operator): the partners this deployment serves, with how many
// customers each has, and a new partner with its first administrator (password shown once).
// Its own lazy chunk: only operators ever load it.
import { createSignal, For } from "solid-js";
import { LoadedList, RefreshButton } from "../admin/loaded-list";
import { ResultLine } from "../admin/result";
import { SubmitButton } from "../components/form-buttons";
import { type OneTime, OneTimePassword } from "../components/one-time-password";
import { roleOnly } from "../components/role-only";
import { plural } from "../format";
import { type CreateField, CreateFields, useCreateForm, useReloadable } from "../lib/create-form";
import { operatorApi } from "./api";

export default roleOnly({ role: "operator", title: "Partners", denied: "This page is for the operators of this service." }, Partners);

function Partners() {
	const { data, error, loading, refresh } = useReloadable(() => operatorApi.partners());
	const partners = () => data()?.partners;
	const [created, setCreated] = createSignal<OneTime | null>(null);

	return (
		<section class="admin partner-page" aria-labelledby="partners-title" aria-busy={loading()}>
			<div class="list-head">
				<h1 id="partners-title">Partners</h1>
				<RefreshButton loading={loading()} onClick={refresh} />
			</div>
			<OneTimePassword created={created()} onDone={() => setCreated(null)} />
			<LoadedList
				items={partners()}
				error={error()}
				loading={loading()}
				failText="Could not load the partners."
				retry={refresh}
				empty="No partners yet."
			>
				{(list) => (
					<ul class="partner-list" aria-label="Partners">
						<For each={list()}>
							{(p) => (
								<li class="partner-row">
									<span class="partner-name">{p.name}</span>
									<span class="muted">{plural(p.customers, "customer")}</span>
									<span class="muted">
										{[
											plural(p.domains, "domain"),
											p.domainsDown > 0 ? `${p.domainsDown} down` : "",
											p.held > 0 ? `${plural(p.held, "message")} held` : "",
										]
											.filter(Boolean)
											.join(", ")}
									</span>
								</li>
							)}
						</For>
					</ul>
				)}
			</LoadedList>
			<NewPartnerForm
				onCreated={(name, email, password) => {
					setCreated({
						title: `${name} is ready`,
						email,
						password,
						caution: "Not by plain email: whoever reads it could sign in as the partner.",
					});
					void refresh();
				}}
			/>
		</section>
	);
}

const PARTNER_FIELDS: CreateField[] = [
	{ name: "name", label: "Partner name", kind: "organization", required: true },
	{ name: "adminEmail", label: "First administrator's address", kind: "email", required: true },
	{ name: "adminAlternateEmail", label: "Another address for outage alerts (optional)", kind: "email" },
];

function NewPartnerForm(props: { onCreated: (name: string, email: string, password: string) => void }) {
	const create = useCreateForm("new-partner", PARTNER_FIELDS, "Could not create the partner.");
	const { result, pending, submit } = create;
	let form!: HTMLFormElement;

	function onSubmit(event: SubmitEvent) {
		event.preventDefault();
		void submit(form, async (field) => {
			const alternate = field("adminAlternateEmail");
			const created = await operatorApi.createPartner({
				name: field("name"),
				adminEmail: field("adminEmail"),
				...(alternate ? { adminAlternateEmail: alternate } : {}),
			});
			props.onCreated(field("name"), created.admin.email, created.admin.oneTimePassword);
			form.reset();
		});
	}

	return (
		<section class="card new-partner" aria-labelledby="new-partner-title">
			<h2 id="new-partner-title">New partner</h2>
			<p class="muted">The partner gets its own company and a first administrator, who can then add the partner's customers.</p>
			<form ref={form} class="stack" novalidate onSubmit={onSubmit}>
				<CreateFields form={create} />
				<ResultLine id="new-partner-result" result={result()} />
				<div class="form-actions">
					<SubmitButton busy={pending()} busyText="Creating…">
						Create partner
					</SubmitButton>
				</div>
			</form>
		</section>
	);
}
