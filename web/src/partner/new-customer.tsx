// "New customer": the company, its first domain and its first administrator in one step. The
// API judges every field (422 names it; 409 when the domain or address is taken) and its
// words are shown next to the form. The first admin's password comes back once.
import { ResultLine } from "../admin/result";
import { useCreateForm } from "../lib/create-form";
import { type CreatedCustomer, partnerApi } from "./api";

export function NewCustomerForm(props: { onCreated: (created: CreatedCustomer, name: string) => void; onCancel: () => void }) {
	const { result, invalid, pending, submit, described } = useCreateForm(
		"new-customer",
		["name", "domain", "adminEmail", "adminAlternateEmail"],
		"Could not create the customer.",
	);
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
				<div class="field">
					<label for="new-customer-name">Customer name</label>
					<input
						id="new-customer-name"
						name="name"
						autocomplete="organization"
						required
						aria-invalid={invalid() === "name" || undefined}
						aria-describedby={described("name")}
					/>
				</div>
				<div class="field">
					<label for="new-customer-domain">Domain</label>
					<input
						id="new-customer-domain"
						name="domain"
						autocomplete="off"
						spellcheck={false}
						required
						aria-invalid={invalid() === "domain" || undefined}
						aria-describedby={described("domain", "new-customer-domain-help")}
					/>
					<p class="field-help" id="new-customer-domain-help">
						The customer's mail domain, such as example.com. Its mail is held here until you set where it goes.
					</p>
				</div>
				<div class="field">
					<label for="new-customer-adminEmail">First administrator's address</label>
					<input
						id="new-customer-adminEmail"
						name="adminEmail"
						type="email"
						autocomplete="off"
						spellcheck={false}
						required
						aria-invalid={invalid() === "adminEmail" || undefined}
						aria-describedby={described("adminEmail", "new-customer-adminEmail-help")}
					/>
					<p class="field-help" id="new-customer-adminEmail-help">
						At the domain above. They sign in with it.
					</p>
				</div>
				<div class="field">
					<label for="new-customer-adminAlternateEmail">Administrator's address outside the domain</label>
					<input
						id="new-customer-adminAlternateEmail"
						name="adminAlternateEmail"
						type="email"
						autocomplete="off"
						spellcheck={false}
						required
						aria-invalid={invalid() === "adminAlternateEmail" || undefined}
						aria-describedby={described("adminAlternateEmail", "new-customer-adminAlternateEmail-help")}
					/>
					<p class="field-help" id="new-customer-adminAlternateEmail-help">
						Outage alerts go here: the domain's own server may be the one that is down.
					</p>
				</div>
				<ResultLine id="new-customer-result" result={result()} />
				<div class="form-actions">
					<button type="button" class="button" onClick={() => props.onCancel()}>
						Cancel
					</button>
					<button type="submit" class="button button-primary" disabled={pending()}>
						{pending() ? "Creating…" : "Create customer"}
					</button>
				</div>
			</form>
		</section>
	);
}
