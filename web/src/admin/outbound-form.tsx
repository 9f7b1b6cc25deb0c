// How mail written in the Emergency Inbox reaches people outside the company: Cloudflare
// Email Service by default, or the customer's own smarthost (so it leaves from their IPs,
// signed and archived the way the rest of their mail is).
import { createSignal, Show } from "solid-js";
import type { AdminDomain } from "../../../src/api/domain-types";
import { EndpointFields, readEndpoint } from "./endpoint-fields";
import { ResultLine } from "./result";
import { useSave } from "./save";

type Mode = "cloudflare" | "smarthost";

export function OutboundForm(props: { domain: AdminDomain; onSaved: () => Promise<void> }) {
	const { result, invalid, saving, save } = useSave(() => props.domain.id, props.onSaved);
	const [mode, setMode] = createSignal<Mode>(props.domain.outbound ? "smarthost" : "cloudflare");
	let form!: HTMLFormElement;

	function submit(event: SubmitEvent) {
		event.preventDefault();
		const cloudflare = mode() === "cloudflare";
		void save(
			() => {
				if (cloudflare) return props.domain.outbound ? { outbound: null } : null;
				return { outbound: readEndpoint(new FormData(form), "outbound", props.domain.outbound) };
			},
			cloudflare ? "Outbound mail goes through Cloudflare Email Service." : "Outbound mail goes through your smarthost.",
			form,
		);
	}

	const choose = (event: Event & { currentTarget: HTMLInputElement }) => setMode(event.currentTarget.value as Mode);

	return (
		<section class="card admin-section" aria-labelledby="outbound-title">
			<h2 id="outbound-title">Outbound mail</h2>
			<p class="muted">Mail your users write in the Emergency Inbox to people outside the company.</p>
			<form ref={form} class="stack" novalidate onSubmit={submit}>
				<fieldset class="choices">
					<legend>Send it through</legend>
					<label class="check">
						<input type="radio" name="outbound-mode" value="cloudflare" checked={mode() === "cloudflare"} onChange={choose} />
						<span>
							Cloudflare Email Service <span class="muted">(default)</span>
						</span>
					</label>
					<label class="check">
						<input type="radio" name="outbound-mode" value="smarthost" checked={mode() === "smarthost"} onChange={choose} />
						<span>Your SMTP smarthost</span>
					</label>
				</fieldset>
				<Show when={mode() === "smarthost"}>
					<EndpointFields
						prefix="outbound"
						current={props.domain.outbound}
						defaultTls="required"
						invalid={invalid()}
						errorId="outbound-result"
						portHelp={
							<p>Cloudflare Workers cannot connect to port 25: use your smarthost's submission port, 587, with AUTH and TLS required.</p>
						}
					/>
				</Show>
				<div class="form-actions">
					<button type="submit" class="button button-primary" disabled={saving()}>
						{saving() ? "Saving…" : "Save outbound"}
					</button>
				</div>
				<ResultLine id="outbound-result" result={result()} />
			</form>
		</section>
	);
}
