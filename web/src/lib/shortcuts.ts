// Gmail-style single-key shortcuts. This file only maps a key press to an action, so the
// rules (never while typing, never over a modifier, Enter only where the browser would not
// act on it itself) are unit-tested without a DOM.

export type ShortcutAction =
	| "next"
	| "previous"
	| "open"
	| "back"
	| "reply"
	| "replyAll"
	| "forward"
	| "compose"
	| "search"
	| "delete"
	| "help";

export interface KeyPress {
	key: string;
	ctrlKey?: boolean;
	metaKey?: boolean;
	altKey?: boolean;
	/** Only what the decision needs from the event target. */
	target?: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

const KEYS: Record<string, ShortcutAction> = {
	j: "next",
	k: "previous",
	o: "open",
	Enter: "open",
	u: "back",
	r: "reply",
	a: "replyAll",
	f: "forward",
	c: "compose",
	"/": "search",
	"#": "delete",
	"?": "help",
};

/** Inputs that do not take text: single-key shortcuts still work while one of them has focus. */
const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "file", "color", "range", "image"]);
/** Elements that act on Enter themselves: a link follows, a button presses. */
const ACTS_ON_ENTER = new Set(["A", "BUTTON", "INPUT", "SELECT", "TEXTAREA", "SUMMARY", "OPTION"]);

export function isTyping(target: KeyPress["target"]): boolean {
	if (!target) return false;
	if (target.isContentEditable) return true;
	const tag = (target.tagName ?? "").toUpperCase();
	if (tag === "TEXTAREA" || tag === "SELECT") return true;
	return tag === "INPUT" && !NON_TEXT_INPUTS.has((target.type ?? "text").toLowerCase());
}

export function shortcutFor(press: KeyPress): ShortcutAction | null {
	if (press.ctrlKey || press.metaKey || press.altKey) return null;
	if (isTyping(press.target)) return null;
	const action = KEYS[press.key];
	if (!action) return null;
	if (press.key === "Enter" && ACTS_ON_ENTER.has((press.target?.tagName ?? "").toUpperCase())) return null;
	return action;
}

/** For the help dialog: one row per shortcut, in the order people learn them. */
export const SHORTCUT_HELP: ReadonlyArray<readonly [keys: string[], what: string]> = [
	[["j"], "Next (older) message"],
	[["k"], "Previous (newer) message"],
	[["o", "Enter"], "Open message"],
	[["u"], "Back to the list"],
	[["r"], "Reply"],
	[["a"], "Reply all"],
	[["f"], "Forward"],
	[["c"], "Compose"],
	[["/"], "Search"],
	[["#"], "Delete"],
	[["?"], "Show keyboard shortcuts"],
];
