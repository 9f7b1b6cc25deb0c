// Which company the admin pages on screen act on, and where their links point. The same pages
// serve a customer admin under /admin and a partner's drill-down into one of its customers
// under /partner/customers/:customerId; a link written as href(`/domains/${id}`) stays in
// whichever of the two the admin is in.
import { createContext, useContext } from "solid-js";

export interface ManagedCustomer {
	id: string;
	name: string;
	/** The partner the customer is managed as, for the "Managing … as …" banner. */
	partnerName: string;
}

export interface AdminScope {
	/** "/admin", or "/partner/customers/ID" in a partner's drill-down. */
	base: string;
	/** Set in a partner's drill-down into a customer other than its own company. */
	customer: ManagedCustomer | null;
}

const AdminScopeContext = createContext<AdminScope>({ base: "/admin", customer: null });

export const AdminScopeProvider = AdminScopeContext.Provider;

export const useAdminScope = (): AdminScope => useContext(AdminScopeContext);

/** A partner acting for its customer: settings yes, the customer's mail never. */
export const useOnBehalf = (): boolean => useAdminScope().customer !== null;

/** An admin page's path ("/users", "/domains/ID") inside the area on screen. */
export function useAdminHref(): (path: string) => string {
	const scope = useAdminScope();
	return (path) => `${scope.base}${path}`;
}

/** How the pages name the company on screen: "Your company", or the customer's name in a drill-down. */
export function useCompanyName(): () => string {
	const scope = useAdminScope();
	return () => scope.customer?.name ?? "Your company";
}
