// What a user who is not a customer admin sees under /admin: the API would answer 403, and a
// page that says so (and where to go instead) beats an empty window or a silent redirect.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { useTitle } from "../title";

export function Forbidden(props: { detail?: string }) {
	useTitle(() => "Administration");
	return (
		<section class="admin-forbidden" aria-labelledby="admin-forbidden-title">
			<h1 id="admin-forbidden-title">Administration is for your company's administrators.</h1>
			<p>
				Your account reads and sends mail in the Emergency Inbox; it cannot change how your company's mail is delivered. If a setting needs
				changing, ask your administrator.
			</p>
			<Show when={props.detail}>
				<p class="muted">The server answered: {props.detail}</p>
			</Show>
			<p>
				<A href="/">Back to your inbox</A>
			</p>
		</section>
	);
}
