// Picking a group's members from the company's users: the chosen ones as a list with Remove,
// and a search by the start of an address whose results are checkboxes. Only ids go to the API,
// which checks that each is a user of the company.
import { createSignal, For, onCleanup, Show } from "solid-js";
import { type AdminUser, adminApi } from "../api";
import { Field } from "../components/field";
import { useSessionGuard } from "../session";
import { errorText } from "./errors";

export interface Member {
	id: string;
	email: string;
	displayName: string;
	disabled: boolean;
}

/** Long enough not to ask on every key, short enough to feel like filtering. */
const TYPING_MS = 250;

export function MemberPicker(props: { idPrefix: string; members: Member[]; onChange: (members: Member[]) => void; invalid?: boolean }) {
	const guard = useSessionGuard();
	const [found, setFound] = createSignal<AdminUser[]>([]);
	const [searched, setSearched] = createSignal<string | null>(null);
	const [error, setError] = createSignal<unknown>();
	let timer: ReturnType<typeof setTimeout> | undefined;
	onCleanup(() => clearTimeout(timer));
	let generation = 0;

	async function search(q: string) {
		const gen = ++generation;
		setError(undefined);
		try {
			const page = await adminApi.users(q.trim(), null);
			if (gen !== generation) return;
			setFound(page.users);
			setSearched(q.trim());
		} catch (err) {
			if (gen === generation && !guard(err)) setError(err);
		}
	}
	void search("");

	const chosen = (id: string) => props.members.some((m) => m.id === id);
	function toggle(u: AdminUser, on: boolean) {
		if (on && !chosen(u.id))
			props.onChange([...props.members, { id: u.id, email: u.email, displayName: u.displayName, disabled: u.disabled }]);
		if (!on) props.onChange(props.members.filter((m) => m.id !== u.id));
	}

	return (
		<fieldset class="member-picker" aria-invalid={props.invalid || undefined}>
			<legend>Members ({props.members.length})</legend>
			<Show
				when={props.members.length > 0}
				fallback={<p class="muted small">No members yet: mail to this group is treated like mail to an unknown address.</p>}
			>
				<ul class="member-list" aria-label="Chosen members">
					<For each={props.members}>
						{(m) => (
							<li>
								<span class="member-email">{m.email}</span>
								<Show when={m.disabled}>
									<span class="tag tag-failed">Disabled: skipped</span>
								</Show>
								<button type="button" class="link-button" onClick={() => props.onChange(props.members.filter((x) => x.id !== m.id))}>
									Remove<span class="visually-hidden"> {m.email}</span>
								</button>
							</li>
						)}
					</For>
				</ul>
			</Show>
			<Field id={`${props.idPrefix}-find`} label="Add members: find users by address">
				{(control) => (
					<input
						{...control}
						type="search"
						autocomplete="off"
						spellcheck={false}
						onInput={(e) => {
							const value = e.currentTarget.value;
							clearTimeout(timer);
							timer = setTimeout(() => void search(value), TYPING_MS);
						}}
						onKeyDown={(e) => {
							// Enter searches at once instead of submitting the group form.
							if (e.key !== "Enter") return;
							e.preventDefault();
							clearTimeout(timer);
							void search(e.currentTarget.value);
						}}
					/>
				)}
			</Field>
			<Show when={error()}>
				<p class="notice notice-error" role="alert">
					{errorText(error(), "Could not load your company's users.")}
				</p>
			</Show>
			<Show when={searched() !== null && found().length === 0 && !error()}>
				<p class="muted small">{searched() ? `No address starts with “${searched()}”.` : "Your company has no users yet."}</p>
			</Show>
			<ul class="member-choices" aria-label="Users to add">
				<For each={found()}>
					{(u) => (
						<li>
							<label class="check check-wrap">
								<input type="checkbox" checked={chosen(u.id)} onChange={(e) => toggle(u, e.currentTarget.checked)} />
								<span>
									{u.email}
									<Show when={u.displayName}>
										<span class="muted"> — {u.displayName}</span>
									</Show>
								</span>
							</label>
						</li>
					)}
				</For>
			</ul>
		</fieldset>
	);
}
