// "Open Emergency Inbox": why, and whether to act in it. A native modal <dialog> like the
// shortcut help: it traps focus, closes on Esc and gives focus back to the button that opened
// it. The worker judges the reason (5 to 500 characters), so its refusal is shown in its words.
import { createEffect, createSignal, on } from "solid-js";
import { type AdminUser, ApiError, adminApi, type Viewing } from "../api";
import { Field } from "../components/field";
import { CancelButton, SubmitButton } from "../components/form-buttons";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";
import { createResult, ResultLine } from "./result";

export function OpenInboxDialog(props: { target: AdminUser | null; onClose: () => void; onOpened: (viewing: Viewing) => void }) {
	const guard = useSessionGuard();
	const result = createResult();
	const [invalid, setInvalid] = createSignal(false);
	const [pending, setPending] = createSignal(false);
	const email = () => props.target?.email ?? "";
	let dialog!: HTMLDialogElement;
	let form!: HTMLFormElement;
	let reason!: HTMLTextAreaElement;

	// A fresh form for each user: a reason given for one inbox must not carry over to the next.
	createEffect(
		on(
			() => props.target,
			(target) => {
				if (!target) return dialog.open && dialog.close();
				form.reset();
				result.clear();
				setInvalid(false);
				if (!dialog.open) dialog.showModal();
				reason.focus();
			},
		),
	);

	async function submit(event: SubmitEvent) {
		event.preventDefault();
		const target = props.target;
		if (!target || pending()) return;
		const data = new FormData(form);
		result.clear();
		setInvalid(false);
		setPending(true);
		try {
			const { viewing } = await adminApi.viewInbox(target.id, String(data.get("reason") ?? ""), data.get("act") === "on");
			dialog.close();
			props.onOpened(viewing);
		} catch (err) {
			if (guard(err)) return;
			setInvalid(err instanceof ApiError && err.status === 422);
			result.error(errorText(err, "Could not open this inbox."));
			reason.focus();
		} finally {
			setPending(false);
		}
	}

	return (
		<dialog ref={dialog} class="dialog open-inbox-dialog" aria-labelledby="open-inbox-title" onClose={() => props.onClose()}>
			<form ref={form} class="dialog-body stack" novalidate onSubmit={submit}>
				<h2 id="open-inbox-title">Open {email()}'s Emergency Inbox</h2>
				<Field
					id="open-inbox-reason"
					label={<>Why do you need to open {email()}'s Emergency Inbox?</>}
					hint="This is recorded in the activity log and visible to your company. 5 to 500 characters."
					invalid={invalid()}
					errorId="open-inbox-result"
				>
					{(control) => <textarea {...control} ref={reason} name="reason" rows="3" maxlength="500" required />}
				</Field>
				<label class="check check-wrap">
					<input type="checkbox" name="act" />
					<span>Let me act in this inbox (mark, delete, send) — everything you do is recorded as you</span>
				</label>
				<ResultLine id="open-inbox-result" result={result.result()} />
				<div class="form-actions dialog-actions">
					<CancelButton onClick={() => dialog.close()} />
					<SubmitButton busy={pending()} busyText="Opening…">
						Open
					</SubmitButton>
				</div>
			</form>
		</dialog>
	);
}
