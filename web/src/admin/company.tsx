// Company settings → Company: the name people see, and who hears about an outage. Admins are
// always alerted at their alternate address; users only when the company chooses it (some
// prefer to tell their people themselves).
import { createResource, createSignal, Show } from "solid-js";
import type { Company, CompanyPatch } from "../../../src/api/admin-types";
import { adminRequest } from "../api";
import { Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { errorText, isForbidden } from "./errors";
import { Forbidden } from "./forbidden";
import { createResult, ResultLine } from "./result";

export default function CompanySettings() {
	useTitle(() => "Company");
	const guard = useSessionGuard();
	const [company, { mutate }] = createResource(() => adminRequest<Company>("GET", "/company"));
	const result = createResult();
	const [saving, setSaving] = createSignal(false);

	async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
		event.preventDefault();
		const form = new FormData(event.currentTarget);
		result.clear();
		setSaving(true);
		try {
			mutate(
				await adminRequest<Company>("PATCH", "/company", {
					name: String(form.get("name") ?? ""),
					notifyUsers: form.get("notify-users") === "on",
					signinCodes: form.get("signin-codes") === "on",
					requireAdminSecondFactor: form.get("admin-second-factor") === "on",
				} satisfies CompanyPatch),
			);
			result.ok("Company settings saved.");
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not save."));
		} finally {
			setSaving(false);
		}
	}

	return (
		<Show when={!isForbidden(company.error)} fallback={<Forbidden />}>
			<h1>Company</h1>
			<Show when={company.error}>
				<p role="alert" class="notice notice-error">
					{errorText(company.error, "Could not load the company settings.")}
				</p>
			</Show>
			<Show when={company()}>
				{(c) => (
					<section class="card admin-section" aria-labelledby="company-title">
						<h2 id="company-title">{c().name}</h2>
						<Show when={c().partner}>{(p) => <p class="muted">Managed with {p()}.</p>}</Show>
						<form class="stack" novalidate onSubmit={submit}>
							<Field id="company-name" label="Company name">
								{(control) => <input {...control} name="name" value={c().name} required minLength={2} maxLength={200} />}
							</Field>
							<fieldset class="choices">
								<legend>Outage alerts</legend>
								<p class="muted">
									When a domain's mail server goes down or comes back, administrators are always told at their alternate address.
								</p>
								<label class="check">
									<input type="checkbox" name="notify-users" checked={c().notifyUsers} />
									<span>Also tell every user, at their alternate address, with the link to their Emergency Inbox</span>
								</label>
							</fieldset>
							<fieldset class="choices">
								<legend>Signing in</legend>
								<p class="muted">Users always can sign in with their Emergency Inbox password.</p>
								<label class="check">
									<input type="checkbox" name="signin-codes" checked={c().signinCodes} />
									<span>Also with a one-time code mailed to their alternate address (for people who never set a password)</span>
								</label>
								<label class="check">
									<input type="checkbox" name="admin-second-factor" checked={c().requireAdminSecondFactor} />
									<span>Administrators must use an authenticator app (recommended: they can open everyone's mail)</span>
								</label>
							</fieldset>
							<div class="form-actions">
								<SubmitButton busy={saving()} busyText="Saving…">
									Save company settings
								</SubmitButton>
							</div>
							<ResultLine result={result.result()} />
						</form>
					</section>
				)}
			</Show>
		</Show>
	);
}
