// "Add domain" on the Domains page: one field, then straight to the new domain's page, whose
// Setup section says what to publish in DNS. A refusal is shown in the API's own words.
import { useNavigate } from "@solidjs/router";
import { createSignal } from "solid-js";
import { Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";
import { useAdminHref } from "./scope";
import { setupApi } from "./setup-api";

export function AddDomainForm(props: { onAdded: () => Promise<void> }) {
	const guard = useSessionGuard();
	const navigate = useNavigate();
	const to = useAdminHref();
	const result = createResult();
	const [busy, setBusy] = createSignal(false);
	const [invalid, setInvalid] = createSignal(false);
	let input!: HTMLInputElement;

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		result.clear();
		setInvalid(false);
		setBusy(true);
		try {
			const added = await setupApi.addDomain(input.value);
			input.value = "";
			await props.onAdded();
			navigate(to(`/domains/${encodeURIComponent(added.id)}`));
		} catch (err) {
			if (!guard(err)) {
				result.error(errorText(err, "Could not add the domain."));
				setInvalid(true);
				input.focus();
			}
		} finally {
			setBusy(false);
		}
	}

	return (
		<form class="card add-domain" aria-labelledby="add-domain-title" novalidate onSubmit={submit}>
			<h2 id="add-domain-title">Add domain</h2>
			<div class="form-row">
				<Field
					id="add-domain-name"
					label="Domain name"
					class="field-grow"
					describedBy="add-domain-help"
					invalid={invalid()}
					errorId="add-domain-result"
				>
					{(control) => (
						<input
							{...control}
							ref={input}
							name="name"
							type="text"
							inputmode="url"
							autocomplete="off"
							spellcheck={false}
							placeholder="example.com"
							required
						/>
					)}
				</Field>
				<div class="add-domain-action">
					<SubmitButton busy={busy()} busyText="Adding…">
						Add domain
					</SubmitButton>
				</div>
			</div>
			<p class="field-help" id="add-domain-help">
				Next you prove the domain is yours with a DNS record. Until then its mail is refused for now and senders retry, so nothing is lost.
			</p>
			<ResultLine id="add-domain-result" result={result.result()} />
		</form>
	);
}
