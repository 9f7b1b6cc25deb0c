// The folder list's "Administration" icon, drawn like the ones in components/icons.tsx.
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
