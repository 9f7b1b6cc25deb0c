import { Navigate } from "@solidjs/router";
import { useAdminHref } from "./scope";

/** /admin (or a drill-down's root) has nothing to show yet: the domains are what an admin comes for. */
export default function AdminHome() {
	const to = useAdminHref();
	return <Navigate href={to("/domains")} />;
}
