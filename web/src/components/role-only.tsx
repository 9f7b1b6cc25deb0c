// The partner and operator pages are for those roles only: anyone else gets a page that says
// so (the API would answer 403 anyway), not an empty list or a silent redirect.
import { A } from "@solidjs/router";
import { type Component, Show } from "solid-js";
import type { Role } from "../api";
import { user } from "../session";
import { useTitle } from "../title";

export interface RolePage {
	role: Role;
	/** The page's title, for anyone. */
	title: string;
	/** The heading that tells anyone else whom the page is for. */
	denied: string;
}

/** `Page` as the route's component for `page.role`: titled for everyone, shown only to that role. */
export function roleOnly(page: RolePage, Page: Component): Component {
	return function RoleOnly() {
		useTitle(() => page.title);
		return (
			<Show
				when={user()?.role === page.role}
				fallback={
					<section class="admin-forbidden" aria-labelledby="role-only-title">
						<h1 id="role-only-title">{page.denied}</h1>
						<p>Your account cannot use this page. If you think it should, ask whoever runs this service for you.</p>
						<p>
							<A href="/">Back to the start</A>
						</p>
					</section>
				}
			>
				<Page />
			</Show>
		);
	};
}
