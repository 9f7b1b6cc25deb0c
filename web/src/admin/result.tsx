// The outcome of a save or an action, next to the control that caused it. The live region is
// always in the DOM, so screen readers announce each new outcome without a focus change.
import { createSignal, type JSX, Show } from "solid-js";

export interface Result {
	text: string;
	tone: "ok" | "error" | "info";
}

export function createResult() {
	const [result, setResult] = createSignal<Result | null>(null);
	return {
		result,
		ok: (text: string) => setResult({ text, tone: "ok" }),
		error: (text: string) => setResult({ text, tone: "error" }),
		info: (text: string) => setResult({ text, tone: "info" }),
		clear: () => setResult(null),
	};
}

export function ResultLine(props: { result: Result | null; id?: string; children?: JSX.Element }) {
	return (
		<div class="form-result" aria-live="polite" id={props.id}>
			<Show when={props.result}>
				{(r) => (
					<p class={`notice notice-${r().tone}`}>
						{r().text}
						{props.children}
					</p>
				)}
			</Show>
		</div>
	);
}
