// One form field: its label, the control, the hint under it, and the tie to the error text.
// Every form of the SPA uses it, so a refused field is marked the same way everywhere: the
// control is aria-invalid and is read together with the message that says why.
import { children, type JSX, Show } from "solid-js";

/** What the control must carry: spread it onto the <input>, <select> or <textarea>. */
export interface FieldControl {
	readonly id: string;
	readonly "aria-invalid": true | undefined;
	readonly "aria-describedby": string | undefined;
}

export interface FieldProps {
	id: string;
	label: JSX.Element;
	/** Shown under the control (id `${id}-help`) and read with it. */
	hint?: JSX.Element;
	/** Ids of descriptions outside the field that the control is read with (a hint shared by a row). */
	describedBy?: string;
	/** This is the field the last refusal named. */
	invalid?: boolean;
	/** The element with the refusal's words: read with the control while it is invalid. */
	errorId?: string;
	/** A layout variant beside "field": "field-grow", "field-port". */
	class?: string;
	children: (control: FieldControl) => JSX.Element;
}

export function Field(props: FieldProps) {
	// Resolved once: reading a JSX prop again would build its nodes again.
	const hint = children(() => props.hint);
	const hintId = () => `${props.id}-help`;
	const control: FieldControl = {
		get id() {
			return props.id;
		},
		get "aria-invalid"() {
			return props.invalid || undefined;
		},
		get "aria-describedby"() {
			const ids = [hint() !== undefined ? hintId() : undefined, props.describedBy, props.invalid ? props.errorId : undefined];
			return ids.filter(Boolean).join(" ") || undefined;
		},
	};
	return (
		<div class={props.class ? `field ${props.class}` : "field"}>
			<label for={props.id}>{props.label}</label>
			{props.children(control)}
			<Show when={hint() !== undefined}>
				<p class="field-help" id={hintId()}>
					{hint()}
				</p>
			</Show>
		</div>
	);
}

/**
 * An address box: typed exactly (no spell check), and not filled in from the browser's memory,
 * which holds the admin's own addresses, not the ones this form is about.
 */
export function EmailInput(props: JSX.InputHTMLAttributes<HTMLInputElement>) {
	return <input type="email" autocomplete="off" spellcheck={false} {...props} />;
}

/** A one-time code (mailed, or from an authenticator app): digits, the phone's keypad, autofill from SMS or mail. */
export function CodeField(props: { id: string; label: JSX.Element; name?: string }) {
	return (
		<Field id={props.id} label={props.label}>
			{(control) => (
				<input
					{...control}
					name={props.name ?? "code"}
					inputmode="numeric"
					autocomplete="one-time-code"
					pattern="[0-9 ]*"
					maxLength={8}
					required
				/>
			)}
		</Field>
	);
}

/** The last refusal, in the worker's words, announced; nothing when there is none. */
export function ErrorLine(props: { message: string }) {
	return (
		<Show when={props.message}>
			<p role="alert" class="notice notice-error">
				{props.message}
			</p>
		</Show>
	);
}
