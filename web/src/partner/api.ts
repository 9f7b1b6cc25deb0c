// The partner's and the operator's calls. Partners manage customers' settings through the
// admin client (web/src/api.ts adminUrl, with ?customer=ID); these are the lists above that.

import type { CreatedCustomer, CreatedPartner, OperatorPartner, PartnerCustomer, PartnerCustomerDetail } from "../../../src/api/types";
import { apiRequest } from "../api";

export type { CreatedCustomer, CreatedPartner, OperatorPartner, PartnerCustomer, PartnerCustomerDetail };

export interface NewCustomer {
	name: string;
	domain: string;
	/** `Name <address>` or a bare address, at `domain`. */
	adminEmail: string;
	/** Outside `domain`: where the admin hears about outages of it. */
	adminAlternateEmail: string;
}

export interface NewPartner {
	name: string;
	adminEmail: string;
	adminAlternateEmail?: string;
}

const customerPath = (id: string) => `/api/partner/customers/${encodeURIComponent(id)}`;

export const partnerApi = {
	customers: () => apiRequest<{ customers: PartnerCustomer[] }>("GET", "/api/partner/customers"),
	/** One customer with the partner's name; 404 for a customer that is not the partner's. */
	customer: (id: string) => apiRequest<PartnerCustomerDetail>("GET", customerPath(id)),
	createCustomer: (body: NewCustomer) => apiRequest<CreatedCustomer>("POST", "/api/partner/customers", body),
};

export const operatorApi = {
	partners: () => apiRequest<{ partners: OperatorPartner[] }>("GET", "/api/operator/partners"),
	createPartner: (body: NewPartner) => apiRequest<CreatedPartner>("POST", "/api/operator/partners", body),
};
