// The header's search field. Submitting goes to /search, keeping any filters already set there.
import { useLocation, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal } from "solid-js";
import { SearchIcon } from "./icons";

let field: HTMLInputElement | undefined;

/** For the "/" shortcut. */
export function focusSearch(): void {
	field?.focus();
	field?.select();
}

export function SearchBox() {
	const navigate = useNavigate();
	const location = useLocation();
	const [params] = useSearchParams();
	const [value, setValue] = createSignal("");

	// The box shows the query of the results on screen, and clears when the user leaves them.
	createEffect(() => setValue(location.pathname === "/search" ? String(params.q ?? "") : ""));

	function submit(event: SubmitEvent) {
		event.preventDefault();
		const next = new URLSearchParams(location.pathname === "/search" ? location.search : "");
		const q = value().trim();
		if (q) next.set("q", q);
		else next.delete("q");
		navigate(`/search?${next}`);
	}

	return (
		<search class="search-box">
			<form class="search-form" onSubmit={submit}>
				<label for="search-field" class="visually-hidden">
					Search mail
				</label>
				<SearchIcon />
				<input
					ref={field}
					id="search-field"
					type="search"
					placeholder="Search mail"
					autocomplete="off"
					aria-keyshortcuts="/"
					value={value()}
					onInput={(e) => setValue(e.currentTarget.value)}
					onKeyDown={(e) => {
						// Esc leaves the field so single-key shortcuts work again.
						if (e.key === "Escape") e.currentTarget.blur();
					}}
				/>
			</form>
		</search>
	);
}
