// The operator's page (/operator): the partners this deployment serves, with how many
// customers each has, and a new partner with its first administrator (password shown once).
// Its own lazy chunk: only operators ever load it.
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { errorText } from "../admin/errors";
import { createResult, ResultLine } from "../admin/result";
import { ApiError } from "../api";
import { plural } from "../format";
import { useSessionGuard } from "../session";
import { useTitle } from "../title";
import { type OperatorPartner, operatorApi } from "./api";
import { type OneTime, OneTimePassword } from "./one-time-password";
import { RoleOnly } from "./role-only";

export default function Operator() {
	useTitle(() => "Partners");
	return (
		<RoleOnly role="operator" title="This page is for the operators of this service.">
			<Partners />
		</RoleOnly>
	);
}

function Partners() {
	const guard = useSessionGuard();
	const [partners, setPartners] = createSignal<OperatorPartner[]>();
	const [error, setError] = createSignal<unknown>();
	const [loading, setLoading] = createSignal(false);
	const [created, setCreated] = createSignal<OneTime | null>(null);

	async function refresh() {
		setLoading(true);
		try {
			setPartners((await operatorApi.partners()).partners);
			setError(undefined);
		} catch (err) {
			if (!guard(err)) setError(err);
		} finally {
			setLoading(false);
		}
	}
	void refresh();

	return (
		<section class="admin partner-page" aria-labelledby="partners-title" aria-busy={loading()}>
			<div class="list-head">
				<h1 id="partners-title">Partners</h1>
				<button type="button" class="button button-quiet" onClick={() => void refresh()} disabled={loading()}>
					{loading() ? "Refreshing…" : "Refresh"}
				</button>
			</div>
			<Show when={created()}>{(c) => <OneTimePassword created={c()} onDone={() => setCreated(null)} />}</Show>
			<Switch>
				<Match when={error() && !partners()}>
					<div role="alert" class="notice notice-error">
						<p>{errorText(error(), "Could not load the partners.")}</p>
						<button type="button" class="button" onClick={() => void refresh()}>
							Try again
						</button>
					</div>
				</Match>
				<Match when={partners()?.length === 0}>
					<p class="empty">No partners yet.</p>
				</Match>
				<Match when={partners()}>
					{(list) => (
						<ul class="partner-list" aria-label="Partners">
							<For each={list()}>
								{(p) => (
									<li class="partner-row">
										<span class="partner-name">{p.name}</span>
										<span class="muted">{plural(p.customers, "customer")}</span>
									</li>
								)}
							</For>
						</ul>
					)}
				</Match>
				<Match when={loading()}>
					<p class="loading" role="status">
						Loading…
					</p>
				</Match>
			</Switch>
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

const namedField = (err: unknown) =>
	err instanceof ApiError && err.status === 422 ? (/^(name|adminEmail|adminAlternateEmail)\b/.exec(err.detail ?? "")?.[1] ?? null) : null;

function NewPartnerForm(props: { onCreated: (name: string, email: string, password: string) => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [invalid, setInvalid] = createSignal<string | null>(null);
	const [pending, setPending] = createSignal(false);
	let form!: HTMLFormElement;

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		if (pending()) return;
		const data = new FormData(form);
		const field = (name: string) => String(data.get(name) ?? "").trim();
		result.clear();
		setInvalid(null);
		setPending(true);
		try {
			const alternate = field("adminAlternateEmail");
			const created = await operatorApi.createPartner({
				name: field("name"),
				adminEmail: field("adminEmail"),
				...(alternate ? { adminAlternateEmail: alternate } : {}),
			});
			props.onCreated(field("name"), created.admin.email, created.admin.oneTimePassword);
			form.reset();
		} catch (err) {
			if (guard(err)) return;
			const named = namedField(err);
			setInvalid(named);
			result.error(errorText(err, "Could not create the partner."));
			if (named) document.getElementById(`new-partner-${named}`)?.focus();
		} finally {
			setPending(false);
		}
	}

	return (
		<section class="card new-partner" aria-labelledby="new-partner-title">
			<h2 id="new-partner-title">New partner</h2>
			<p class="muted">The partner gets its own company and a first administrator, who can then add the partner's customers.</p>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				<div class="field">
					<label for="new-partner-name">Partner name</label>
					<input
						id="new-partner-name"
						name="name"
						autocomplete="organization"
						required
						aria-invalid={invalid() === "name" || undefined}
						aria-describedby={invalid() === "name" ? "new-partner-result" : undefined}
					/>
				</div>
				<div class="field">
					<label for="new-partner-adminEmail">First administrator's address</label>
					<input
						id="new-partner-adminEmail"
						name="adminEmail"
						type="email"
						autocomplete="off"
						spellcheck={false}
						required
						aria-invalid={invalid() === "adminEmail" || undefined}
						aria-describedby={invalid() === "adminEmail" ? "new-partner-result" : undefined}
					/>
				</div>
				<div class="field">
					<label for="new-partner-adminAlternateEmail">Another address for outage alerts (optional)</label>
					<input
						id="new-partner-adminAlternateEmail"
						name="adminAlternateEmail"
						type="email"
						autocomplete="off"
						spellcheck={false}
						aria-invalid={invalid() === "adminAlternateEmail" || undefined}
						aria-describedby={invalid() === "adminAlternateEmail" ? "new-partner-result" : undefined}
					/>
				</div>
				<ResultLine id="new-partner-result" result={result.result()} />
				<div class="form-actions">
					<button type="submit" class="button button-primary" disabled={pending()}>
						{pending() ? "Creating…" : "Create partner"}
					</button>
				</div>
			</form>
		</section>
	);
}
