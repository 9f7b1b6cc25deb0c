// Add user: an address at one of the company's domains, a name, a role, the alternate address
// the welcome email goes to (outside the company: its server may be the one that is down), and
// aliases. The worker checks everything; its refusal is shown in its words, on the field it names.
import { createSignal } from "solid-js";
import { type AdminUser, adminApi, type CompanyRole } from "../api";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";
import { addressList, fieldOf, inviteSummary } from "./user-text";

/** The API's 422 detail starts with the field it is about ("alternateEmail … is at your company's own domain"). */
const FIELDS: Record<string, string> = {
	email: "new-user-email",
	displayName: "new-user-name",
	role: "new-user-role",
	alternateEmail: "new-user-alternate",
	aliases: "new-user-aliases",
};

export function AddUserForm(props: { onAdded: (user: AdminUser, message: string) => void; onCancel: () => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [pending, setPending] = createSignal(false);
	const [invalid, setInvalid] = createSignal<string | null>(null);
	let form!: HTMLFormElement;

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		if (pending()) return;
		const data = new FormData(form);
		const text = (name: string) => String(data.get(name) ?? "").trim();
		result.clear();
		setInvalid(null);
		setPending(true);
		try {
			const created = await adminApi.createUser({
				email: text("email"),
				displayName: text("displayName"),
				role: text("role") as CompanyRole,
				alternateEmail: text("alternateEmail") || null,
				aliases: addressList(text("aliases")),
			});
			let message = `${created.email} added.`;
			if (data.get("invite") === "on" && created.alternateEmail) message += ` ${inviteSummary(await adminApi.inviteUsers([created.id]))}`;
			else if (!created.alternateEmail) message += " Add an alternate address to send the welcome email.";
			form.reset();
			props.onAdded(created, message);
		} catch (err) {
			if (guard(err)) return;
			const field = fieldOf(err, FIELDS);
			setInvalid(field);
			result.error(errorText(err, "Could not add this user."));
			if (field) document.getElementById(field)?.focus();
		} finally {
			setPending(false);
		}
	}

	const described = (id: string, help?: string) =>
		[help, invalid() === id ? "new-user-result" : undefined].filter(Boolean).join(" ") || undefined;

	return (
		<section class="card admin-section user-add" aria-labelledby="new-user-title">
			<h2 id="new-user-title">Add a user</h2>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				<div class="form-row">
					<div class="field field-grow">
						<label for="new-user-email">Email address</label>
						<input
							id="new-user-email"
							name="email"
							type="email"
							required
							autocomplete="off"
							spellcheck={false}
							aria-invalid={invalid() === "new-user-email" || undefined}
							aria-describedby={described("new-user-email", "new-user-email-help")}
						/>
						<p class="field-help" id="new-user-email-help">
							At one of your company's domains. It is also the sign-in name.
						</p>
					</div>
					<div class="field field-grow">
						<label for="new-user-name">Name</label>
						<input
							id="new-user-name"
							name="displayName"
							maxLength={200}
							autocomplete="off"
							aria-invalid={invalid() === "new-user-name" || undefined}
						/>
					</div>
				</div>
				<div class="form-row">
					<div class="field field-grow">
						<label for="new-user-alternate">Alternate email address</label>
						<input
							id="new-user-alternate"
							name="alternateEmail"
							type="email"
							autocomplete="off"
							spellcheck={false}
							aria-invalid={invalid() === "new-user-alternate" || undefined}
							aria-describedby={described("new-user-alternate", "new-user-alternate-help")}
						/>
						<p class="field-help" id="new-user-alternate-help">
							Outside your company, such as a personal address: the welcome email and outage alerts go there.
						</p>
					</div>
					<div class="field">
						<label for="new-user-role">Role</label>
						<select id="new-user-role" name="role" aria-invalid={invalid() === "new-user-role" || undefined}>
							<option value="user">User</option>
							<option value="customer_admin">Administrator</option>
						</select>
					</div>
				</div>
				<div class="field">
					<label for="new-user-aliases">Aliases (optional)</label>
					<input
						id="new-user-aliases"
						name="aliases"
						autocomplete="off"
						spellcheck={false}
						aria-invalid={invalid() === "new-user-aliases" || undefined}
						aria-describedby={described("new-user-aliases", "new-user-aliases-help")}
					/>
					<p class="field-help" id="new-user-aliases-help">
						Other addresses whose mail lands in this user's Emergency Inbox, separated by spaces or commas.
					</p>
				</div>
				<label class="check">
					<input type="checkbox" name="invite" checked />
					<span>Send the welcome email now (to the alternate address)</span>
				</label>
				<ResultLine id="new-user-result" result={result.result()} />
				<div class="form-actions">
					<button type="submit" class="button button-primary" disabled={pending()}>
						{pending() ? "Adding…" : "Add user"}
					</button>
					<button type="button" class="button" onClick={() => props.onCancel()}>
						Cancel
					</button>
				</div>
			</form>
		</section>
	);
}
