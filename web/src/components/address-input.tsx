// A To/Cc/Bcc field: comma-separated addresses with suggestions from the company directory
// for the entry being typed. ARIA combobox with a listbox popup (WAI-ARIA APG pattern):
// focus stays in the input, arrows move the active option, Enter or Tab takes it, Esc closes.
import { createSignal, For, type JSX, onCleanup, Show } from "solid-js";
import { api, type Contact } from "../api";
import { formatAddress, splitAddressList } from "../lib/addresses";

const DEBOUNCE_MS = 150;
const MAX_SUGGESTIONS = 8;

/** The entry after the last separator: what the user is typing now. */
function lastEntry(value: string): string {
	const parts = value.split(/[,;]/);
	return (parts.at(-1) ?? "").trim();
}

export function AddressInput(props: {
	id: string;
	label: string;
	value: string;
	onInput: (value: string) => void;
	invalid: boolean;
	errorId?: string;
	ref?: (el: HTMLInputElement) => void;
	/** Controls at the end of the row (the To row's "Cc" and "Bcc"). */
	children?: JSX.Element;
}) {
	const [options, setOptions] = createSignal<Contact[]>([]);
	const [active, setActive] = createSignal(-1);
	const open = () => options().length > 0;
	const listId = `${props.id}-suggestions`;
	let timer: ReturnType<typeof setTimeout> | undefined;
	let pending: AbortController | undefined;

	function close() {
		setOptions([]);
		setActive(-1);
	}

	function suggest(value: string) {
		clearTimeout(timer);
		pending?.abort();
		const q = lastEntry(value);
		if (q.length < 1 || q.includes("<")) return close();
		timer = setTimeout(async () => {
			pending = new AbortController();
			try {
				const found = await api.contacts(q, pending.signal);
				const taken = splitAddressList(value).map((e) => e.toLowerCase());
				setOptions(found.filter((c) => !taken.some((t) => t.includes(c.email.toLowerCase()))).slice(0, MAX_SUGGESTIONS));
				setActive(-1);
			} catch {
				// Suggestions are a convenience; typing a full address always works.
				close();
			}
		}, DEBOUNCE_MS);
	}
	onCleanup(() => {
		clearTimeout(timer);
		pending?.abort();
	});

	function choose(contact: Contact) {
		const entries = splitAddressList(props.value);
		const typed = lastEntry(props.value);
		if (typed && entries.at(-1) === typed) entries.pop();
		entries.push(formatAddress({ name: contact.displayName, email: contact.email }));
		props.onInput(`${entries.join(", ")}, `);
		close();
	}

	function onKeyDown(e: KeyboardEvent) {
		if (!open()) return;
		const n = options().length;
		if (e.key === "ArrowDown") {
			e.preventDefault();
			setActive((active() + 1) % n);
		} else if (e.key === "ArrowUp") {
			e.preventDefault();
			setActive((active() - 1 + n) % n);
		} else if ((e.key === "Enter" || e.key === "Tab") && active() >= 0) {
			e.preventDefault();
			const c = options()[active()];
			if (c) choose(c);
		} else if (e.key === "Escape") {
			e.preventDefault();
			close();
		}
	}

	return (
		<div class="compose-row">
			<label for={props.id}>{props.label}</label>
			<div class="combo">
				<input
					ref={props.ref}
					id={props.id}
					type="text"
					inputmode="email"
					autocomplete="off"
					spellcheck={false}
					role="combobox"
					aria-autocomplete="list"
					aria-expanded={open()}
					aria-controls={listId}
					aria-activedescendant={active() >= 0 ? `${listId}-${active()}` : undefined}
					aria-invalid={props.invalid || undefined}
					aria-describedby={props.invalid ? props.errorId : undefined}
					value={props.value}
					onInput={(e) => {
						props.onInput(e.currentTarget.value);
						suggest(e.currentTarget.value);
					}}
					onKeyDown={onKeyDown}
					onBlur={close}
				/>
				<div id={listId} role="listbox" aria-label={`Suggestions for ${props.label}`} class="suggestions" hidden={!open()}>
					<For each={options()}>
						{(c, i) => (
							// biome-ignore lint/a11y/useFocusableInteractive: focus stays in the input, which points at the active option with aria-activedescendant (the ARIA combobox pattern)
							<div
								id={`${listId}-${i()}`}
								class="suggestion"
								role="option"
								aria-selected={active() === i()}
								classList={{ active: active() === i() }}
								// mousedown, not click: a click would blur the input first, which closes the list.
								onMouseDown={(e) => {
									e.preventDefault();
									choose(c);
								}}
							>
								<span class="suggestion-name">{c.displayName || c.email}</span>
								<Show when={c.displayName}>
									<span class="muted"> {c.email}</span>
								</Show>
							</div>
						)}
					</For>
				</div>
			</div>
			{props.children}
		</div>
	);
}
