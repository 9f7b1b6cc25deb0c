// One PATCH from one form: builds the body (a typing mistake stops here, named by its field),
// sends it, shows the outcome in the form's live region and marks the field a 422 names.
import { createSignal } from "solid-js";
import type { DomainPatch } from "../../../src/api/domain-types";
import { adminApi } from "../api";
import { useSessionGuard } from "../session";
import { errorText, invalidField } from "./errors";
import { createResult } from "./result";
import { EntryError } from "./units";

/** Field "delivery.port" is input #delivery-port: every form names its inputs that way. */
export const fieldId = (field: string) => field.replace(".", "-");

export function useSave(domainId: () => string, onSaved: () => Promise<void>) {
	const guard = useSessionGuard();
	const result = createResult();
	const [invalid, setInvalid] = createSignal<string | null>(null);
	const [saving, setSaving] = createSignal(false);

	function fail(field: string | null, text: string) {
		setInvalid(field);
		result.error(text);
		// Straight to the field to fix; the message is announced by the live region and tied to it.
		if (field) document.getElementById(fieldId(field))?.focus();
	}

	/**
	 * `build` returns null when nothing changed, or throws an EntryError for a bad entry.
	 * `explain` adds to a 422 what the API cannot know, such as the units the form uses.
	 */
	async function save(
		build: () => DomainPatch | null,
		okText: string,
		form: HTMLFormElement,
		explain: (field: string | null) => string = () => "",
	): Promise<void> {
		setInvalid(null);
		result.clear();
		let patch: DomainPatch | null;
		try {
			patch = build();
		} catch (err) {
			if (err instanceof EntryError) return fail(err.field, err.message);
			throw err;
		}
		if (!patch) {
			result.info("Nothing changed.");
			return;
		}
		setSaving(true);
		try {
			await adminApi.patchDomain(domainId(), patch);
		} catch (err) {
			if (!guard(err)) {
				const field = invalidField(err);
				fail(field, `${errorText(err, "Could not save.")}${explain(field)}`);
			}
			return;
		} finally {
			setSaving(false);
		}
		// Saved passwords are never shown again, not even as dots.
		for (const input of form.querySelectorAll<HTMLInputElement>('input[type="password"]')) input.value = "";
		result.ok(okText);
		await onSaved();
	}

	return { result: result.result, invalid, saving, save };
}
