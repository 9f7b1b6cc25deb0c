// The way from one domain's or one user's page back to its list: above the page's title, and
// as all there is of the page when the domain or user is not (or no longer) there.
import { A } from "@solidjs/router";
import type { JSX } from "solid-js";
import { useAdminHref } from "./scope";

interface ListLink {
	/** The list's admin path, such as "/users". */
	list: string;
	/** "All users". */
	listName: string;
}

export function BackLink(props: ListLink) {
	const to = useAdminHref();
	return (
		<p class="breadcrumb">
			<A href={to(props.list)}>← {props.listName}</A>
		</p>
	);
}

export function NotFoundPage(props: ListLink & { title: string; children: JSX.Element }) {
	const to = useAdminHref();
	return (
		<div class="admin-page">
			<h1>{props.title}</h1>
			<p>{props.children}</p>
			<p>
				<A href={to(props.list)}>{props.listName}</A>
			</p>
		</div>
	);
}
