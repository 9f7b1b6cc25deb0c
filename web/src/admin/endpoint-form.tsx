// The form for one of the domain's SMTP endpoints, saved with one PATCH: the delivery
// destination (./delivery-form, which adds "Test connection") and the outbound smarthost
// (./outbound-form, which adds the choice of Cloudflare instead).
import { type JSX, Show } from "solid-js";
import type { AdminDomain, DomainPatch, EndpointPatch, TlsMode } from "../../../src/api/domain-types";
import { SubmitButton } from "../components/form-buttons";
import { EndpointFields, readEndpoint } from "./endpoint-fields";
import { ResultLine } from "./result";
import { useSave } from "./save";

export interface EndpointFormProps {
	domain: AdminDomain;
	onSaved: () => Promise<void>;
	/** The endpoint: the domain's field, the prefix of the form's ids, and the API's name in a 422. */
	prefix: "delivery" | "outbound";
	title: string;
	intro: JSX.Element;
	defaultTls: TlsMode;
	portHelp: JSX.Element;
	/** The PATCH from the endpoint as typed (read only when asked for); null when nothing changed. */
	patch: (endpoint: () => EndpointPatch) => DomainPatch | null;
	okText: string;
	saveLabel: string;
	/** Above the endpoint's fields. */
	choice?: JSX.Element;
	/** False hides the endpoint's fields. */
	showFields?: boolean;
	/** Beside the save button. */
	actions?: JSX.Element;
	/** Under the buttons, above the save's outcome. */
	actionsHelp?: JSX.Element;
	/** Under the form. */
	children?: JSX.Element;
}

export function EndpointForm(props: EndpointFormProps) {
	const { result, invalid, saving, save } = useSave(() => props.domain.id, props.onSaved);
	const current = () => props.domain[props.prefix];
	let form!: HTMLFormElement;

	function submit(event: SubmitEvent) {
		event.preventDefault();
		void save(() => props.patch(() => readEndpoint(new FormData(form), props.prefix, current())), props.okText, form);
	}

	return (
		<section class="card admin-section" aria-labelledby={`${props.prefix}-title`}>
			<h2 id={`${props.prefix}-title`}>{props.title}</h2>
			<p class="muted">{props.intro}</p>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				{props.choice}
				<Show when={props.showFields ?? true}>
					<EndpointFields
						prefix={props.prefix}
						current={current()}
						defaultTls={props.defaultTls}
						invalid={invalid()}
						errorId={`${props.prefix}-result`}
						portHelp={props.portHelp}
					/>
				</Show>
				<div class="form-actions">
					<SubmitButton busy={saving()} busyText="Saving…">
						{props.saveLabel}
					</SubmitButton>
					{props.actions}
				</div>
				{props.actionsHelp}
				<ResultLine id={`${props.prefix}-result`} result={result()} />
			</form>
			{props.children}
		</section>
	);
}
