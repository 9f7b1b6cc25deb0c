// What a user who is not a customer admin sees under /admin: the API would answer 403, and a
// page that says so (and where to go instead) beats an empty window or a silent redirect. In a
// partner's drill-down a 403 is something the partner may not do for the customer: the page
// then says that, in the API's own words, with the way back.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { useTitle } from "../title";
import { useAdminHref, useAdminScope } from "./scope";

export function Forbidden(props: { detail?: string }) {
	useTitle(() => "Administration");
	const scope = useAdminScope();
	const to = useAdminHref();
	return (
		<Show
			when={scope.customer}
			fallback={
				<section class="admin-forbidden" aria-labelledby="admin-forbidden-title">
					<h1 id="admin-forbidden-title">Administration is for your company's administrators.</h1>
					<p>
						Your account reads and sends mail in the Emergency Inbox; it cannot change how your company's mail is delivered. If a setting
						needs changing, ask your administrator.
					</p>
					<Show when={props.detail}>
						<p class="muted">The server answered: {props.detail}</p>
					</Show>
					<p>
						<A href="/">Back to your inbox</A>
					</p>
				</section>
			}
		>
			{(customer) => (
				<section class="admin-forbidden" aria-labelledby="admin-forbidden-title">
					<h1 id="admin-forbidden-title">Not open to partners</h1>
					<p>{props.detail || `As ${customer().partnerName} you manage ${customer().name}'s settings, but not this.`}</p>
					<p>
						<A href={to("/domains")}>Back to {customer().name}'s domains</A> · <A href="/partner">All customers</A>
					</p>
				</section>
			)}
		</Show>
	);
}
