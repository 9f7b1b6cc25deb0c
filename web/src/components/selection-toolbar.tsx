// Bulk actions over the ticked rows. The buttons stay in place (disabled when nothing is
// ticked) so the layout does not jump and keyboard users find them where they were. In an
// admin's read-only view of someone's inbox they are not offered at all.
import { createEffect, Show } from "solid-js";
import { readOnly } from "../session";
import { MailIcon, OpenMailIcon, RefreshIcon, RestoreIcon, TrashIcon } from "./icons";

export function SelectionToolbar(props: {
	view: string;
	count: number;
	total: number;
	allSelected: boolean;
	onSelectAll: (all: boolean) => void;
	onSeen: (seen: boolean) => void;
	onTrash: () => void;
	onRestore: () => void;
	onRefresh: () => void;
}) {
	let all: HTMLInputElement | undefined;
	// "Some selected" is a third state a checkbox can only show through the DOM property.
	createEffect(() => {
		if (all) all.indeterminate = props.count > 0 && !props.allSelected;
	});
	const none = () => props.count === 0;
	return (
		<fieldset class="toolbar" aria-label="Selected messages">
			{/* An admin's read-only view of a user's inbox offers nothing it would refuse. */}
			<Show when={!readOnly()}>
				<label class="select-all">
					<input
						ref={all}
						type="checkbox"
						checked={props.allSelected}
						disabled={props.total === 0}
						onChange={(e) => props.onSelectAll(e.currentTarget.checked)}
					/>
					<span class="visually-hidden">Select all on this page</span>
				</label>
				<Show when={props.count > 0}>
					<span class="selection-count">{props.count} selected</span>
				</Show>
				<button type="button" class="button button-tool" disabled={none()} onClick={() => props.onSeen(true)}>
					<OpenMailIcon />
					<span>Mark read</span>
				</button>
				<button type="button" class="button button-tool" disabled={none()} onClick={() => props.onSeen(false)}>
					<MailIcon />
					<span>Mark unread</span>
				</button>
				<Show
					when={props.view === "trash"}
					fallback={
						<button type="button" class="button button-tool" disabled={none()} onClick={props.onTrash}>
							<TrashIcon />
							<span>Delete</span>
						</button>
					}
				>
					<button type="button" class="button button-tool" disabled={none()} onClick={props.onRestore}>
						<RestoreIcon />
						<span>Restore</span>
					</button>
				</Show>
			</Show>
			<button type="button" class="button button-tool toolbar-end" onClick={props.onRefresh} aria-label="Refresh" title="Refresh">
				<RefreshIcon />
			</button>
		</fieldset>
	);
}
