import { createEffect } from "solid-js";

export const APP_NAME = "Emergency Inbox";

/** Screen-reader users hear the title on each route change, so every page names itself. */
export function useTitle(title: () => string | undefined): void {
	createEffect(() => {
		const t = title();
		document.title = t ? `${t} · ${APP_NAME}` : APP_NAME;
	});
}
