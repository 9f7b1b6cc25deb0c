// Routes single-key shortcuts to whichever view is showing: each view registers handlers
// for the actions it supports; the most recently mounted one wins, the shell's are the fallback.
import { onCleanup } from "solid-js";
import { type ShortcutAction, shortcutFor } from "../lib/shortcuts";

export type ShortcutHandlers = Partial<Record<ShortcutAction, () => void>>;

const layers: ShortcutHandlers[] = [];

export function useShortcuts(handlers: ShortcutHandlers): void {
	layers.push(handlers);
	onCleanup(() => {
		const i = layers.lastIndexOf(handlers);
		if (i >= 0) layers.splice(i, 1);
	});
}

function onKeyDown(event: KeyboardEvent): void {
	if (event.defaultPrevented || event.isComposing) return;
	// A modal dialog (the help) owns the keyboard; Esc closes it natively.
	if (document.querySelector("dialog[open]")) return;
	const target = event.target instanceof HTMLElement ? event.target : null;
	const action = shortcutFor({
		key: event.key,
		ctrlKey: event.ctrlKey,
		metaKey: event.metaKey,
		altKey: event.altKey,
		target: target && {
			tagName: target.tagName,
			isContentEditable: target.isContentEditable,
			type: target.getAttribute("type") ?? undefined,
		},
	});
	if (!action) return;
	for (let i = layers.length - 1; i >= 0; i--) {
		const handler = layers[i]?.[action];
		if (handler) {
			event.preventDefault();
			handler();
			return;
		}
	}
}

/** Installed once by the shell; returns the remover for onCleanup. */
export function listenForShortcuts(): () => void {
	document.addEventListener("keydown", onKeyDown);
	return () => document.removeEventListener("keydown", onKeyDown);
}
