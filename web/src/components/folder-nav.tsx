// The folder list: a sidebar on wide screens, a row of tabs above the list on phones.
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { SettingsIcon } from "../admin/icon";
import { user } from "../session";
import { InboxIcon, PenIcon, SentIcon, TrashIcon } from "./icons";

export function FolderNav() {
	return (
		<nav class="folder-nav" aria-label="Folders">
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
			{/* Only customer admins: the API refuses everyone else, so a link would lead nowhere. */}
			<Show when={user()?.role === "customer_admin"}>
				<ul class="folders folders-admin">
					<li>
						<A href="/admin" activeClass="active">
							<SettingsIcon />
							<span>Administration</span>
						</A>
					</li>
				</ul>
			</Show>
		</nav>
	);
}
