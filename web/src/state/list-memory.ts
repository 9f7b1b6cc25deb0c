// What the last list showed, so that returning from a message is instant (and lands on the
// row the user left) and j/k in the reader walk the same list the user came from.
import type { MessageSummary } from "../api";

export interface ListSnapshot {
	/** The list's URL (path and query), which is also its key. */
	path: string;
	messages: MessageSummary[];
	cursor: string | null;
	/** The row to focus again. */
	currentId: string | null;
}

const snapshots = new Map<string, ListSnapshot>();
let last: ListSnapshot | null = null;

export function rememberList(snapshot: ListSnapshot): void {
	snapshots.set(snapshot.path, snapshot);
	last = snapshot;
}

export const recallList = (path: string) => snapshots.get(path) ?? null;

/** The list the user last looked at, for "back" and for next/previous in the reader. */
export const lastList = () => last;

/** Keeps remembered rows truthful after the reader changes a message (read state, folder). */
export function patchRemembered(ids: string[], patch: Partial<MessageSummary>): void {
	for (const s of snapshots.values()) {
		s.messages = s.messages.map((m) => (ids.includes(m.id) ? { ...m, ...patch } : m));
	}
}

export function forgetRemembered(ids: string[]): void {
	for (const s of snapshots.values()) s.messages = s.messages.filter((m) => !ids.includes(m.id));
}

/** The reader moved on (j/k): back in the list, the cursor is on the message read last. */
export function markCurrent(id: string): void {
	if (last?.messages.some((m) => m.id === id)) last.currentId = id;
}

/** The neighbour of `id` in the last list: +1 is older, -1 newer. */
export function neighbour(id: string, step: 1 | -1): string | null {
	const list = last?.messages ?? [];
	const i = list.findIndex((m) => m.id === id);
	if (i < 0) return null;
	return list[i + step]?.id ?? null;
}

export function forgetAllLists(): void {
	snapshots.clear();
	last = null;
}
