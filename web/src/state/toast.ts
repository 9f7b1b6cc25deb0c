// One short message at a time ("Sent", "Moved to Trash — Undo"), announced through the
// shell's live region so screen-reader users hear the outcome of what they just did.
import { createSignal } from "solid-js";

export interface Toast {
	text: string;
	action?: { label: string; run: () => void };
	link?: { label: string; href: string };
	error?: boolean;
}

const VISIBLE_MS = 8000;

const [current, setCurrent] = createSignal<Toast | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

export const toast = current;

export function showToast(t: Toast): void {
	clearTimeout(timer);
	setCurrent(t);
	timer = setTimeout(() => setCurrent(null), VISIBLE_MS);
}

export function dismissToast(): void {
	clearTimeout(timer);
	setCurrent(null);
}

/** Keeps the toast while the user is on it (reading it, or tabbing to its Undo). */
export function holdToast(hold: boolean): void {
	clearTimeout(timer);
	if (!hold && current()) timer = setTimeout(() => setCurrent(null), VISIBLE_MS);
}
