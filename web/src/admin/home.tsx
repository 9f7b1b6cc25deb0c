import { Navigate } from "@solidjs/router";

/** /admin itself has nothing to show yet: the domains are what an admin comes for. */
export default function AdminHome() {
	return <Navigate href="/admin/domains" />;
}
