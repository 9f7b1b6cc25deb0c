// One account under Company settings → Users: its details (name, role, alternate address) and
// aliases here; whether it may sign in, the welcome email and deleting it in ./user-actions.
// The worker's rules are shown in its own words (nobody demotes, disables or deletes
// themselves; the company keeps an enabled administrator).
import { useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { type AdminUser, adminApi, type CompanyRole } from "../api";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { BackLink, NotFoundPage } from "./back-link";
import { errorText, isForbidden, isNotFound } from "./errors";
import { Forbidden } from "./forbidden";
import { createResult, ResultLine } from "./result";
import { AccessSection, DeleteSection, WelcomeSection } from "./user-actions";
import { fieldOf, ROLES, signInState } from "./user-text";
import "./users.css";
import { EmailInput, Field } from "../components/field";
import { SubmitButton } from "../components/form-buttons";
import { Loading } from "../components/loading";
import { LoadFailed } from "./load-failed";

export default function UserDetail() {
	const params = useParams<{ id: string }>();
	const guard = useSessionGuard();
	// A 401 goes to the sign-in page; anything else is shown below.
	const [account, { mutate, refetch }] = createResource(
		() => params.id,
		(id) =>
			adminApi.user(id).catch((err: unknown) => {
				if (guard(err)) return undefined;
				throw err;
			}),
	);
	useTitle(() => account()?.email ?? "User");

	return (
		<Switch>
			<Match when={isForbidden(account.error)}>
				<Forbidden detail={errorText(account.error, "")} />
			</Match>
			<Match when={isNotFound(account.error)}>
				<NotFoundPage title="User not found" list="/users" listName="All users">
					This account does not exist (any more) or is not one of your company's.
				</NotFoundPage>
			</Match>
			<Match when={account.error}>
				<LoadFailed error={account.error} fallback="Could not load this user." retry={refetch} />
			</Match>
			<Match when={account()}>
				{(u) => (
					<div class="admin-page">
						<BackLink list="/users" listName="All users" />
						<h1 class="user-title">{u().email}</h1>
						<p class="user-tags">
							<span class="tag tag-pending">{ROLES[u().role] ?? u().role}</span>
							<Show when={u().disabled}>
								<span class="tag tag-failed">Disabled</span>
							</Show>
							<Show when={!u().disabled && signInState(u())}>{(s) => <span class={`tag tag-${s().tone}`}>{s().text}</span>}</Show>
						</p>
						<Show when={u().groups.length > 0}>
							<p class="muted">Member of {u().groups.join(", ")}.</p>
						</Show>
						<div class="admin-sections">
							<DetailsForm user={u()} onSaved={mutate} />
							<AccessSection user={u()} onSaved={mutate} />
							<AliasesSection user={u()} onChanged={() => void refetch()} />
							<WelcomeSection user={u()} onSent={() => void refetch()} />
							<DeleteSection user={u()} />
						</div>
					</div>
				)}
			</Match>
			<Match when={true}>
				<Loading />
			</Match>
		</Switch>
	);
}

const DETAIL_FIELDS = { displayName: "user-name", role: "user-role", alternateEmail: "user-alternate" };

function DetailsForm(props: { user: AdminUser; onSaved: (u: AdminUser) => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [saving, setSaving] = createSignal(false);
	const [invalid, setInvalid] = createSignal<string | null>(null);
	const companyRole = () => (props.user.role === "customer_admin" || props.user.role === "user" ? props.user.role : null);

	async function submit(event: SubmitEvent & { currentTarget: HTMLFormElement }) {
		event.preventDefault();
		const data = new FormData(event.currentTarget);
		result.clear();
		setInvalid(null);
		setSaving(true);
		try {
			const role = data.get("role");
			const saved = await adminApi.patchUser(props.user.id, {
				displayName: String(data.get("displayName") ?? ""),
				alternateEmail: String(data.get("alternateEmail") ?? "").trim() || null,
				...(role ? { role: String(role) as CompanyRole } : {}),
			});
			const roleChanged = saved.role !== props.user.role;
			props.onSaved(saved);
			result.ok(roleChanged ? `Saved. ${saved.email} was signed out everywhere and signs in again with the new role.` : "Saved.");
		} catch (err) {
			if (guard(err)) return;
			const field = fieldOf(err, DETAIL_FIELDS);
			setInvalid(field);
			result.error(errorText(err, "Could not save."));
			if (field) document.getElementById(field)?.focus();
		} finally {
			setSaving(false);
		}
	}

	return (
		<section class="card admin-section" aria-labelledby="user-details-title">
			<h2 id="user-details-title">Details</h2>
			<form class="stack" novalidate onSubmit={submit}>
				<Field id="user-name" label="Name" invalid={invalid() === "user-name"}>
					{(control) => <input {...control} name="displayName" value={props.user.displayName} maxLength={200} />}
				</Field>
				<Field
					id="user-alternate"
					label="Alternate email address"
					hint="Outside your company: the welcome email and outage alerts go there, since your own mail server may be the one that is down."
					invalid={invalid() === "user-alternate"}
				>
					{(control) => (
						<input {...control} name="alternateEmail" type="email" value={props.user.alternateEmail ?? ""} spellcheck={false} />
					)}
				</Field>
				<Show when={companyRole()}>
					{(role) => (
						<Field
							id="user-role"
							label="Role"
							hint="Administrators manage domains and users and may open Emergency Inboxes. A new role signs the user out everywhere."
							invalid={invalid() === "user-role"}
						>
							{(control) => (
								<select {...control} name="role">
									<option value="user" selected={role() === "user"}>
										User
									</option>
									<option value="customer_admin" selected={role() === "customer_admin"}>
										Administrator
									</option>
								</select>
							)}
						</Field>
					)}
				</Show>
				<ResultLine result={result.result()} />
				<div class="form-actions">
					<SubmitButton busy={saving()} busyText="Saving…">
						Save details
					</SubmitButton>
				</div>
			</form>
		</section>
	);
}

function AliasesSection(props: { user: AdminUser; onChanged: () => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [pending, setPending] = createSignal(false);
	const [invalid, setInvalid] = createSignal(false);
	let input!: HTMLInputElement;

	async function add(event: SubmitEvent) {
		event.preventDefault();
		result.clear();
		setInvalid(false);
		setPending(true);
		try {
			const alias = await adminApi.addAlias(props.user.id, input.value);
			input.value = "";
			result.ok(`${alias.address} added: its mail lands in this Emergency Inbox.`);
			props.onChanged();
		} catch (err) {
			if (guard(err)) return;
			setInvalid(true);
			result.error(errorText(err, "Could not add this alias."));
			input.focus();
		} finally {
			setPending(false);
		}
	}

	async function remove(id: string, address: string) {
		result.clear();
		try {
			await adminApi.removeAlias(props.user.id, id);
			result.ok(`${address} removed.`);
			props.onChanged();
		} catch (err) {
			if (!guard(err)) result.error(errorText(err, "Could not remove this alias."));
		}
	}

	return (
		<section class="card admin-section" aria-labelledby="user-aliases-title">
			<h2 id="user-aliases-title">Aliases</h2>
			<p class="muted">Other addresses at your domains whose mail lands in this user's Emergency Inbox.</p>
			<Show when={props.user.aliases.length > 0} fallback={<p>No aliases.</p>}>
				<ul class="alias-list" aria-label="Aliases">
					<For each={props.user.aliases}>
						{(a) => (
							<li>
								<span class="alias-address">{a.address}</span>
								<button type="button" class="button button-quiet" onClick={() => void remove(a.id, a.address)}>
									Remove<span class="visually-hidden"> alias {a.address}</span>
								</button>
							</li>
						)}
					</For>
				</ul>
			</Show>
			<form class="alias-add" novalidate onSubmit={add}>
				<Field id="user-new-alias" label="New alias" class="field-grow" invalid={invalid()} errorId="user-alias-result">
					{(control) => <EmailInput {...control} ref={input} required />}
				</Field>
				<button type="submit" class="button" disabled={pending()}>
					Add alias
				</button>
			</form>
			<ResultLine id="user-alias-result" result={result.result()} />
		</section>
	);
}
