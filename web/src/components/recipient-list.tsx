// Where a sent message stands, per recipient: the user wants to know who has it and who does not.
import { For, Show } from "solid-js";
import type { RecipientStatus } from "../api";
import { describeRecipient } from "../format";

export function RecipientList(props: { recipients: RecipientStatus[] }) {
	return (
		<section class="recipients" aria-labelledby="recipients-heading">
			<h2 id="recipients-heading">Delivery</h2>
			<ul>
				<For each={props.recipients}>
					{(r) => {
						const info = () => describeRecipient(r.state);
						return (
							<li>
								<span class="recipient-address">{r.address}</span>
								<span class={`tag tag-${info().tone}`}>{info().label}</span>
								<Show when={r.detail && (r.state === "deferred" || r.state === "failed")}>
									<span class="recipient-detail">{r.detail}</span>
								</Show>
							</li>
						);
					}}
				</For>
			</ul>
		</section>
	);
}
