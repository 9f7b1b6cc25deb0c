// The keyboard shortcut list. A native modal <dialog>: it traps focus, closes on Esc and
// returns focus to where it was, which is the accessible behaviour without extra code.
import { For } from "solid-js";
import { SHORTCUT_HELP } from "../lib/shortcuts";

export function HelpDialog(props: { ref: (el: HTMLDialogElement) => void }) {
	return (
		// biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop, which the keyboard cannot reach; Esc closes a modal <dialog> natively
		<dialog
			ref={props.ref}
			class="dialog"
			aria-labelledby="help-title"
			// A click on the backdrop lands on the dialog element itself.
			onClick={(e) => e.target === e.currentTarget && e.currentTarget.close()}
		>
			<div class="dialog-body">
				<div class="dialog-head">
					<h2 id="help-title">Keyboard shortcuts</h2>
					<button type="button" class="button button-quiet" autofocus onClick={(e) => e.currentTarget.closest("dialog")?.close()}>
						Close
					</button>
				</div>
				<p class="muted">Shortcuts work when you are not typing in a field.</p>
				<table class="shortcut-table">
					<tbody>
						<For each={SHORTCUT_HELP}>
							{([keys, what]) => (
								<tr>
									<th scope="row">
										<For each={keys}>{(k, i) => (i() > 0 ? [" or ", <kbd>{k}</kbd>] : <kbd>{k}</kbd>)}</For>
									</th>
									<td>{what}</td>
								</tr>
							)}
						</For>
					</tbody>
				</table>
			</div>
		</dialog>
	);
}
