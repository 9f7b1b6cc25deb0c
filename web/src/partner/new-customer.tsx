// "New customer": the company, its first domain and its first administrator in one step. The
// API judges every field (422 names it; 409 when the domain or address is taken) and its
// words are shown next to the form. The first admin's password comes back once.
import { ResultLine } from "../admin/result";
import { CancelButton, SubmitButton } from "../components/form-buttons";
import { type CreateField, CreateFields, useCreateForm } from "../lib/create-form";
import { type CreatedCustomer, partnerApi } from "./api";

const CUSTOMER_FIELDS: CreateField[] = [
	{ name: "name", label: "Customer name", kind: "organization", required: true },
	{
		name: "domain",
		label: "Domain",
		hint: "The customer's mail domain, such as example.com. Its mail is held here until you set where it goes.",
		kind: "text",
		required: true,
	},
	{
		name: "adminEmail",
		label: "First administrator's address",
		hint: "At the domain above. They sign in with it.",
		kind: "email",
		required: true,
	},
	{
		name: "adminAlternateEmail",
		label: "Administrator's address outside the domain",
		hint: "Outage alerts go here: the domain's own server may be the one that is down.",
		kind: "email",
		required: true,
	},
];

export function NewCustomerForm(props: { onCreated: (created: CreatedCustomer, name: string) => void; onCancel: () => void }) {
	const create = useCreateForm("new-customer", CUSTOMER_FIELDS, "Could not create the customer.");
	const { result, pending, submit } = create;
	let form!: HTMLFormElement;

	function onSubmit(event: SubmitEvent) {
		event.preventDefault();
		void submit(form, async (field) => {
			const created = await partnerApi.createCustomer({
				name: field("name"),
				domain: field("domain"),
				adminEmail: field("adminEmail"),
				adminAlternateEmail: field("adminAlternateEmail"),
			});
			props.onCreated(created, field("name"));
		});
	}

	return (
		<section class="card" aria-labelledby="new-customer-title">
			<h2 id="new-customer-title">New customer</h2>
			<form ref={form} class="stack" novalidate onSubmit={onSubmit}>
				<CreateFields form={create} />
				<ResultLine id="new-customer-result" result={result()} />
				<div class="form-actions">
					<CancelButton onClick={() => props.onCancel()} />
					<SubmitButton busy={pending()} busyText="Creating…">
						Create customer
					</SubmitButton>
				</div>
			</form>
		</section>
	);
}
