// The outage state of the user's own mail server, shared by the banner and the compose
// form (which shows the attachment limits from the same answer).
import { createSignal } from "solid-js";
import { api, type MailboxStatus } from "../api";

const REFRESH_MS = 60_000;

const [status, setStatus] = createSignal<MailboxStatus | null>(null);
export const mailboxStatus = status;

export const forgetStatus = () => setStatus(null);

export async function refreshStatus(): Promise<void> {
	try {
		setStatus(await api.status());
	} catch {
		// The banner is advisory: if it cannot be fetched, the mail itself still works.
	}
}

/** Polls while the tab is visible; returns the stop function for onCleanup. */
export function watchStatus(): () => void {
	void refreshStatus();
	const timer = setInterval(() => {
		if (document.visibilityState === "visible") void refreshStatus();
	}, REFRESH_MS);
	const onVisible = () => {
		if (document.visibilityState === "visible") void refreshStatus();
	};
	document.addEventListener("visibilitychange", onVisible);
	return () => {
		clearInterval(timer);
		document.removeEventListener("visibilitychange", onVisible);
	};
}
