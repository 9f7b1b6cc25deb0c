// A form's buttons. The submit button is disabled while its request runs and says meanwhile what
// it is doing ("Saving…"), so a second click does not send the form twice; Cancel closes the
// form (or the question) without sending anything.
import type { JSX } from "solid-js";

export function SubmitButton(props: { busy: boolean; busyText: string; disabled?: boolean; children: JSX.Element }) {
	return (
		<button type="submit" class="button button-primary" disabled={props.busy || props.disabled}>
			{props.busy ? props.busyText : props.children}
		</button>
	);
}

export function CancelButton(props: { onClick: () => void; disabled?: boolean }) {
	return (
		<button type="button" class="button" disabled={props.disabled} onClick={() => props.onClick()}>
			Cancel
		</button>
	);
}
