// Where toasts appear. The live region is always in the DOM (screen readers only announce
// changes to regions that already exist); the toast inside it comes and goes.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { dismissToast, holdToast, toast } from "../state/toast";
import { CloseIcon } from "./icons";

export function ToastRegion() {
	return (
		<div class="toast-region" role="status" aria-live="polite">
			<Show when={toast()}>
				{(t) => (
					// biome-ignore lint/a11y/noStaticElementInteractions: hover and focus only keep the toast up while someone reads it or reaches its button; the toast does nothing itself
					<div
						class="toast"
						classList={{ "toast-error": t().error }}
						onMouseEnter={() => holdToast(true)}
						onMouseLeave={() => holdToast(false)}
						onFocusIn={() => holdToast(true)}
						onFocusOut={() => holdToast(false)}
					>
						<span>{t().text}</span>
						<Show when={t().link}>
							{(link) => (
								<A href={link().href} class="toast-action" onClick={dismissToast}>
									{link().label}
								</A>
							)}
						</Show>
						<Show when={t().action}>
							{(action) => (
								<button
									type="button"
									class="toast-action"
									onClick={() => {
										dismissToast();
										action().run();
									}}
								>
									{action().label}
								</button>
							)}
						</Show>
						<button type="button" class="toast-close" aria-label="Dismiss" onClick={dismissToast}>
							<CloseIcon />
						</button>
					</div>
				)}
			</Show>
		</div>
	);
}
