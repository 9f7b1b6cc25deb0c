// The folder list: a sidebar on wide screens, a row of tabs above the list on phones.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { user } from "../session";
import { InboxIcon, PenIcon, SentIcon, SettingsIcon, TrashIcon, UsersIcon } from "./icons";

export function FolderNav() {
	const role = () => user()?.role;
	// Customer admins, and a partner's admins for the partner's own company: the API refuses
	// everyone else, so a link would lead nowhere.
	const administers = () => role() === "customer_admin" || (role() === "partner_admin" && user()?.customerId != null);
	return (
		<nav class="folder-nav" aria-label="Folders">
			{/* Operators have no mailbox: the folders would only ever be empty. */}
			<Show when={role() !== "operator"}>
				<A href="/compose" class="button button-primary compose-button">
					<PenIcon />
					<span>Compose</span>
				</A>
				<ul class="folders">
					<li>
						<A href="/" end activeClass="active">
							<InboxIcon />
							<span>Inbox</span>
						</A>
					</li>
					<li>
						<A href="/sent" activeClass="active">
							<SentIcon />
							<span>Sent</span>
						</A>
					</li>
					<li>
						<A href="/trash" activeClass="active">
							<TrashIcon />
							<span>Trash</span>
						</A>
					</li>
				</ul>
			</Show>
			<Show when={administers() || role() === "partner_admin" || role() === "operator"}>
				<ul class="folders folders-admin">
					<Show when={role() === "partner_admin"}>
						<li>
							<A href="/partner" activeClass="active">
								<UsersIcon />
								<span>Partner</span>
							</A>
						</li>
					</Show>
					<Show when={role() === "operator"}>
						<li>
							<A href="/operator" activeClass="active">
								<UsersIcon />
								<span>Operator</span>
							</A>
						</li>
					</Show>
					<Show when={administers()}>
						<li>
							<A href="/admin" activeClass="active">
								<SettingsIcon />
								<span>Administration</span>
							</A>
						</li>
					</Show>
				</ul>
			</Show>
		</nav>
	);
}
