// How mail written in the Emergency Inbox reaches people outside the company: Cloudflare
// Email Service by default, or the customer's own smarthost (so it leaves from their IPs,
// signed and archived the way the rest of their mail is).
import { createSignal } from "solid-js";
import type { AdminDomain } from "../../../src/api/domain-types";
import { EndpointForm } from "./endpoint-form";

type Mode = "cloudflare" | "smarthost";

export function OutboundForm(props: { domain: AdminDomain; onSaved: () => Promise<void> }) {
	const [mode, setMode] = createSignal<Mode>(props.domain.outbound ? "smarthost" : "cloudflare");
	const choose = (event: Event & { currentTarget: HTMLInputElement }) => setMode(event.currentTarget.value as Mode);

	return (
		<EndpointForm
			{...props}
			prefix="outbound"
			title="Outbound mail"
			intro="Mail your users write in the Emergency Inbox to people outside the company."
			defaultTls="required"
			portHelp={<p>Cloudflare Workers cannot connect to port 25: use your smarthost's submission port, 587, with AUTH and TLS required.</p>}
			patch={(endpoint) => {
				if (mode() === "cloudflare") return props.domain.outbound ? { outbound: null } : null;
				return { outbound: endpoint() };
			}}
			okText={
				mode() === "cloudflare" ? "Outbound mail goes through Cloudflare Email Service." : "Outbound mail goes through your smarthost."
			}
			saveLabel="Save outbound"
			choice={
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
			}
			showFields={mode() === "smarthost"}
		/>
	);
}
