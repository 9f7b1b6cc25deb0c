// Health changes on its own (probes, a drain finishing), so admin pages refresh while the tab
// is visible, like the inbox's outage banner does.
import { onCleanup } from "solid-js";

export function usePolling(refresh: () => void, everyMs = 30_000): void {
	const timer = setInterval(() => {
		if (document.visibilityState === "visible") refresh();
	}, everyMs);
	onCleanup(() => clearInterval(timer));
}
