// The admin area's frame, inside the shell (which has already checked the session): only
// customer admins get past it, everyone else gets a page that says why.
import { A, type RouteSectionProps } from "@solidjs/router";
import { Show } from "solid-js";
import { user } from "../session";
import { Forbidden } from "./forbidden";

export default function AdminLayout(props: RouteSectionProps) {
	const isAdmin = () => user()?.role === "customer_admin";
	return (
		<Show when={isAdmin()} fallback={<Forbidden />}>
			<div class="admin">
				<p class="admin-eyebrow muted">Company settings</p>
				<nav class="admin-nav" aria-label="Administration">
					<A href="/admin/domains" activeClass="active">
						Domains
					</A>
					<A href="/admin/users" activeClass="active">
						Users
					</A>
					<A href="/admin/activity" activeClass="active">
						Activity
					</A>
					<A href="/admin/company" activeClass="active">
						Company
					</A>
				</nav>
				{props.children}
			</div>
		</Show>
	);
}
