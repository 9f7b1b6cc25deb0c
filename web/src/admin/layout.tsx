// The admin area's frame, inside the shell (which has already checked the session). The same
// pages serve two areas: /admin, a company's own settings (its customer admins, and a partner's
// admins for the partner's own company), and /partner/customers/:customerId, a partner's
// drill-down into one of its customers (./drill-down). Everyone else gets a page that says why.
// Links in the nav and in the pages go through useAdminHref() so they stay in the area.
import { A, type RouteSectionProps, useParams } from "@solidjs/router";
import { For, type JSX, Show } from "solid-js";
import { setAdminCustomer } from "../api";
import { user } from "../session";
import { DrillDown } from "./drill-down";
import { Forbidden } from "./forbidden";
import { useAdminHref, useAdminScope } from "./scope";

export default function AdminLayout(props: RouteSectionProps) {
	const params = useParams<{ customerId?: string }>();
	// Keyed on the customer: another customer, or back to /admin, builds the pages afresh, so one
	// company's data never shows under another's name.
	return (
		<Show when={params.customerId} keyed fallback={<OwnCompany>{props.children}</OwnCompany>}>
			{(customerId) => (
				<DrillDown customerId={customerId}>
					<AdminFrame>{props.children}</AdminFrame>
				</DrillDown>
			)}
		</Show>
	);
}

/** /admin: the signed-in admin's own company. */
function OwnCompany(props: { children: JSX.Element }) {
	setAdminCustomer(null);
	const isAdmin = () => {
		const u = user();
		return u?.role === "customer_admin" || (u?.role === "partner_admin" && u.customerId !== null);
	};
	return (
		<Show when={isAdmin()} fallback={<Forbidden />}>
			<AdminFrame>{props.children}</AdminFrame>
		</Show>
	);
}

/** The admin area's sections, in the order of its tabs. */
const SECTIONS = [
	["/domains", "Domains"],
	["/users", "Users"],
	["/groups", "Groups"],
	["/activity", "Activity"],
	["/reports", "Reports"],
	["/company", "Company"],
] as const;

function AdminFrame(props: { children: JSX.Element }) {
	const scope = useAdminScope();
	const to = useAdminHref();
	return (
		<div class="admin">
			<p class="admin-eyebrow muted">{scope.customer ? `${scope.customer.name}: settings` : "Company settings"}</p>
			<nav class="admin-nav" aria-label="Administration">
				<For each={SECTIONS}>
					{([path, label]) => (
						<A href={to(path)} activeClass="active">
							{label}
						</A>
					)}
				</For>
			</nav>
			{props.children}
		</div>
	);
}
