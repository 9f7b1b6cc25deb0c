// The partner and operator pages are for those roles only: anyone else gets a page that says
// so (the API would answer 403 anyway), not an empty list or a silent redirect.
import { A } from "@solidjs/router";
import { type JSX, Show } from "solid-js";
import type { Role } from "../api";
import { user } from "../session";

export function RoleOnly(props: { accountRole: Role; title: string; children: JSX.Element }) {
	return (
		<Show
			when={user()?.role === props.accountRole}
			fallback={
				<section class="admin-forbidden" aria-labelledby="role-only-title">
					<h1 id="role-only-title">{props.title}</h1>
					<p>Your account cannot use this page. If you think it should, ask whoever runs this service for you.</p>
					<p>
						<A href="/">Back to the start</A>
					</p>
				</section>
			}
		>
			{props.children}
		</Show>
	);
}
