// The folder list's "Administration", "Partner" and "Operator" icons, drawn like the ones in components/icons.tsx.
// Kept here because that file's Icon helper is private; it is tiny, so it can sit in the
// initial chunk with the folder list.
export function SettingsIcon() {
	return (
		<svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
			<path
				fill="none"
				stroke="currentColor"
				stroke-width="2"
				stroke-linecap="round"
				stroke-linejoin="round"
				d="M4 21v-7m0-4V3m8 18v-9m0-4V3m8 18v-5m0-4V3M1 14h6m2-6h6m2 8h6"
			/>
		</svg>
	);
}

/** The folder list's "Partner" and "Operator" links: people, for the customers or partners managed. */
export function UsersIcon() {
	return (
		<svg class="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
			<path
				fill="none"
				stroke="currentColor"
				stroke-width="2"
				stroke-linecap="round"
				stroke-linejoin="round"
				d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm13 10v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75"
			/>
		</svg>
	);
}
