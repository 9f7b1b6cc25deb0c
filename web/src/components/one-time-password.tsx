// A new account's one-time password, shown once, right after the partner or operator created
// it: with a copy button and a word on passing it on. It lives only in the page's memory, so
// leaving the page (or "Done") is the end of it; the API never shows it again either.
import { createSignal, onMount, Show } from "solid-js";

export interface OneTime {
	/** "Initech is ready." */
	title: string;
	email: string;
	password: string;
	/** Why not to send it by email, for this kind of account. */
	caution: string;
}

/** Nothing while `created` is null. */
export function OneTimePassword(props: { created: OneTime | null; onDone: () => void }) {
	return <Show when={props.created}>{(created) => <Panel created={created()} onDone={props.onDone} />}</Show>;
}

function Panel(props: { created: OneTime; onDone: () => void }) {
	const [copied, setCopied] = createSignal<"" | "ok" | "failed">("");
	let panel!: HTMLElement;
	// Into focus at once: a screen reader reads the panel, and the password is not missed.
	onMount(() => panel.focus());

	async function copy() {
		try {
			await navigator.clipboard.writeText(props.created.password);
			setCopied("ok");
		} catch {
			// No clipboard (permission, an old browser): the password is on screen to select by hand.
			setCopied("failed");
		}
	}

	return (
		<section ref={panel} class="card one-time" aria-labelledby="one-time-title" tabindex="-1">
			<h2 id="one-time-title">{props.created.title}</h2>
			<p>
				The first administrator, <strong>{props.created.email}</strong>, signs in with this one-time password:
			</p>
			<p class="one-time-row">
				<output aria-label="One-time password">
					<code class="one-time-password">{props.created.password}</code>
				</output>
				<button type="button" class="button" onClick={() => void copy()}>
					Copy<span class="visually-hidden"> the one-time password</span>
				</button>
			</p>
			<p class="form-result" aria-live="polite">
				<Show when={copied()}>
					{copied() === "ok" ? "Copied to the clipboard." : "Could not copy: select the password and copy it by hand."}
				</Show>
			</p>
			<p class="muted">
				It is shown only this once and cannot be recovered. Pass it on securely, by phone or in person. {props.created.caution}
			</p>
			<button type="button" class="button button-primary" onClick={() => props.onDone()}>
				Done
			</button>
		</section>
	);
}
