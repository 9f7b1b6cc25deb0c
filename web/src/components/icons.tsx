// Inline SVG icons (no icon font: nothing extra to download, and CSP-clean). Decorative:
// every use sits next to text or inside a control with its own accessible name.
import type { JSX } from "solid-js";

function Icon(props: { d: string; class?: string }): JSX.Element {
	return (
		<svg class={`icon ${props.class ?? ""}`} viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
			<path fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" d={props.d} />
		</svg>
	);
}

export const PaperclipIcon = () => <Icon d="m21 11-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" />;
export const InboxIcon = () => <Icon d="M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6z" />;
export const SentIcon = () => <Icon d="m22 2-7 20-4-9-9-4zM22 2 11 13" />;
export const TrashIcon = () => <Icon d="M3 6h18M8 6V4h8v2m3 0-1 14H6L5 6m5 5v6m4-6v6" />;
export const PenIcon = () => <Icon d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z" />;
export const ShieldIcon = () => <Icon d="M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z" />;
export const SearchIcon = () => <Icon d="M11 19a8 8 0 1 0 0-16 8 8 0 0 0 0 16zm10 2-4.35-4.35" />;
export const ReplyIcon = () => <Icon d="M9 17 4 12l5-5M20 18v-2a4 4 0 0 0-4-4H4" />;
export const ReplyAllIcon = () => <Icon d="M7 17l-5-5 5-5M12 17l-5-5 5-5M22 18v-2a4 4 0 0 0-4-4H7" />;
export const ForwardIcon = () => <Icon d="m15 17 5-5-5-5M4 18v-2a4 4 0 0 1 4-4h12" />;
export const BackIcon = () => <Icon d="M19 12H5m7 7-7-7 7-7" />;
export const RestoreIcon = () => <Icon d="M3 12a9 9 0 1 0 3-6.7L3 8m0-5v5h5" />;
export const MailIcon = () => <Icon d="M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm18 2-10 7L2 6" />;
export const OpenMailIcon = () => (
	<Icon d="M21.2 8.4 12 2 2.8 8.4A2 2 0 0 0 2 10v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-9a2 2 0 0 0-.8-1.6zM22 10l-10 7L2 10" />
);
export const RefreshIcon = () => <Icon d="M21 12a9 9 0 0 1-15 6.7L3 16m0 5v-5h5M3 12a9 9 0 0 1 15-6.7L21 8m0-5v5h-5" />;
export const CloseIcon = () => <Icon d="M18 6 6 18M6 6l12 12" />;
export const AlertIcon = () => <Icon d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0zM12 9v4m0 4h.01" />;
export const KeyboardIcon = () => (
	<Icon d="M4 6h16a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zm2 4h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
);
/** The folder list's "Administration" link. */
export const SettingsIcon = () => <Icon d="M4 21v-7m0-4V3m8 18v-9m0-4V3m8 18v-5m0-4V3M1 14h6m2-6h6m2 8h6" />;
/** The folder list's "Partner" and "Operator" links: people, for the customers or partners managed. */
export const UsersIcon = () => (
	<Icon d="M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm13 10v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75" />
);
