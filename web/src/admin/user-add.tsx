// Add user: an address at one of the company's domains, a name, a role, the alternate address
// the welcome email goes to (outside the company: its server may be the one that is down), and
// aliases. The worker checks everything; its refusal is shown in its words, on the field it names.
import { createSignal } from "solid-js";
import { adminApi, type CompanyRole } from "../api";
import { EmailInput, Field } from "../components/field";
import { CancelButton, SubmitButton } from "../components/form-buttons";
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

export function AddUserForm(props: { onAdded: (message: string) => void; onCancel: () => void }) {
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
			props.onAdded(message);
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

	return (
		<section class="card admin-section user-add" aria-labelledby="new-user-title">
			<h2 id="new-user-title">Add a user</h2>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				<div class="form-row">
					<Field
						id="new-user-email"
						label="Email address"
						class="field-grow"
						hint="At one of your company's domains. It is also the sign-in name."
						invalid={invalid() === "new-user-email"}
						errorId="new-user-result"
					>
						{(control) => <EmailInput {...control} name="email" required />}
					</Field>
					<Field id="new-user-name" label="Name" class="field-grow" invalid={invalid() === "new-user-name"}>
						{(control) => <input {...control} name="displayName" maxLength={200} autocomplete="off" />}
					</Field>
				</div>
				<div class="form-row">
					<Field
						id="new-user-alternate"
						label="Alternate email address"
						class="field-grow"
						hint="Outside your company, such as a personal address: the welcome email and outage alerts go there."
						invalid={invalid() === "new-user-alternate"}
						errorId="new-user-result"
					>
						{(control) => <EmailInput {...control} name="alternateEmail" />}
					</Field>
					<Field id="new-user-role" label="Role" invalid={invalid() === "new-user-role"}>
						{(control) => (
							<select {...control} name="role">
								<option value="user">User</option>
								<option value="customer_admin">Administrator</option>
							</select>
						)}
					</Field>
				</div>
				<Field
					id="new-user-aliases"
					label="Aliases (optional)"
					hint="Other addresses whose mail lands in this user's Emergency Inbox, separated by spaces or commas."
					invalid={invalid() === "new-user-aliases"}
					errorId="new-user-result"
				>
					{(control) => <input {...control} name="aliases" autocomplete="off" spellcheck={false} />}
				</Field>
				<label class="check">
					<input type="checkbox" name="invite" checked />
					<span>Send the welcome email now (to the alternate address)</span>
				</label>
				<ResultLine id="new-user-result" result={result.result()} />
				<div class="form-actions">
					<SubmitButton busy={pending()} busyText="Adding…">
						Add user
					</SubmitButton>
					<CancelButton onClick={() => props.onCancel()} />
				</div>
			</form>
		</section>
	);
}
