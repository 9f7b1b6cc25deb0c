// What the partner's and the operator's "create" forms share: their fields, one submission at a
// time, the API's own words when it refuses, and the field a 422 names (its detail starts with
// the field: "adminEmail must be …") marked invalid, tied to the message and focused. Inputs
// are named `${prefix}-${field}`; the form's result line is `${prefix}-result`.
import { createSignal, For } from "solid-js";
import { errorText } from "../admin/errors";
import { createResult } from "../admin/result";
import { ApiError } from "../api";
import { EmailInput, Field } from "../components/field";
import { useSessionGuard } from "../session";

export interface CreateField {
	/** The API's field: the input's name, and its id after the form's prefix. */
	name: string;
	label: string;
	hint?: string;
	/** A company's name ("organization", which the browser may fill in), a domain ("text") or an address. */
	kind: "organization" | "text" | "email";
	required?: boolean;
}

export type CreateForm = ReturnType<typeof useCreateForm>;

export function useCreateForm(prefix: string, fields: readonly CreateField[], failText: string) {
	const guard = useSessionGuard();
	const result = createResult();
	const [invalid, setInvalid] = createSignal<string | null>(null);
	const [pending, setPending] = createSignal(false);

	const namedField = (err: unknown) =>
		err instanceof ApiError && err.status === 422
			? (fields.find((f) => new RegExp(`^${f.name}\\b`).test(err.detail ?? ""))?.name ?? null)
			: null;

	/** Runs `send` with the form's trimmed values; a refusal lands in the result line. */
	async function submit(form: HTMLFormElement, send: (field: (name: string) => string) => Promise<void>) {
		if (pending()) return;
		const data = new FormData(form);
		result.clear();
		setInvalid(null);
		setPending(true);
		try {
			await send((name) => String(data.get(name) ?? "").trim());
		} catch (err) {
			if (guard(err)) return;
			const named = namedField(err);
			setInvalid(named);
			result.error(errorText(err, failText));
			if (named) document.getElementById(`${prefix}-${named}`)?.focus();
		} finally {
			setPending(false);
		}
	}

	return { prefix, fields, result: result.result, invalid, pending, submit };
}

/** The form's fields, in order, each marked when the last refusal named it. */
export function CreateFields(props: { form: CreateForm }) {
	return (
		<For each={props.form.fields}>
			{(f) => (
				<Field
					id={`${props.form.prefix}-${f.name}`}
					label={f.label}
					hint={f.hint}
					invalid={props.form.invalid() === f.name}
					errorId={`${props.form.prefix}-result`}
				>
					{(control) =>
						f.kind === "email" ? (
							<EmailInput {...control} name={f.name} required={f.required} />
						) : f.kind === "organization" ? (
							<input {...control} name={f.name} autocomplete="organization" required={f.required} />
						) : (
							<input {...control} name={f.name} autocomplete="off" spellcheck={false} required={f.required} />
						)
					}
				</Field>
			)}
		</For>
	);
}

/** A list the page loads, and reloads on Refresh or after a change; a 401 goes to the sign-in page. */
export function useReloadable<T>(load: () => Promise<T>) {
	const guard = useSessionGuard();
	const [data, setData] = createSignal<T>();
	const [error, setError] = createSignal<unknown>();
	const [loading, setLoading] = createSignal(false);
	async function refresh() {
		setLoading(true);
		try {
			const value = await load();
			setData(() => value);
			setError(undefined);
		} catch (err) {
			if (!guard(err)) setError(err);
		} finally {
			setLoading(false);
		}
	}
	void refresh();
	return { data, error, loading, refresh };
}
