// Whose mailbox this is, while a customer admin looks at a user's Emergency Inbox: on every
// signed-in page, so nobody mistakes that user's mail for their own, with the way back out.
// A live region that is always in the DOM, so opening and leaving are announced.
import { useIsRouting, useNavigate } from "@solidjs/router";
import { createEffect, createRoot, createSignal, Show } from "solid-js";
import { adminApi } from "../api";
import { reloadSession, switchMailbox, useSessionGuard, viewing } from "../session";
import { showToast } from "../state/toast";

/** "Reason: Outage." and not "Reason: Outage..": the reason is the admin's own sentence. */
const sentence = (text: string) => (/[.!?…]$/.test(text) ? text : `${text}.`);

export function ViewingBanner() {
	const navigate = useNavigate();
	const isRouting = useIsRouting();
	const guard = useSessionGuard();
	const [leaving, setLeaving] = createSignal(false);

	/** Resolves once the route change has finished and the previous page is gone. */
	const routed = () =>
		new Promise<void>((resolve) =>
			createRoot((dispose) =>
				createEffect(() => {
					if (isRouting()) return;
					dispose();
					resolve();
				}),
			),
		);

	async function leave() {
		setLeaving(true);
		try {
			await adminApi.leaveInbox();
		} catch (err) {
			if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "Could not leave this inbox.", error: true });
			setLeaving(false);
			return;
		}
		// Away from the user's list first: a list page remembers itself when it closes, and that
		// must happen before the memory is cleared, not after.
		navigate("/admin/users");
		await routed();
		switchMailbox(null);
		setLeaving(false);
		document.getElementById("main")?.focus();
		try {
			await reloadSession();
		} catch (err) {
			if (!guard(err)) showToast({ text: err instanceof Error ? err.message : "Could not check your session.", error: true });
		}
	}

	return (
		<div role="status" class="viewing-slot">
			<Show when={viewing()}>
				{(v) => (
					<div class="viewing-banner" classList={{ "viewing-can-act": v().canAct }}>
						<p>
							You are viewing <strong>{v().email}</strong>'s Emergency Inbox{" "}
							{v().canAct ? "as an administrator and may act in it; what you do is recorded as you." : "(read-only) as an administrator."}{" "}
							Reason: {sentence(v().reason)}
						</p>
						<button type="button" class="button" onClick={() => void leave()} disabled={leaving()}>
							{leaving() ? "Leaving…" : "Leave this inbox"}
						</button>
					</div>
				)}
			</Show>
		</div>
	);
}
