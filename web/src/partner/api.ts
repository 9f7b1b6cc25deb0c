// The partner's calls. Partners manage customers' settings through the admin client
// (web/src/api.ts adminUrl, with ?customer=ID); these are the list above that and a new customer.

import type { CreatedCustomer, NewCustomer, PartnerCustomerDetail, PartnerCustomerList } from "../../../src/api/types";
import { apiRequest } from "../api";

export type { CreatedCustomer, PartnerCustomer } from "../../../src/api/types";

const customerPath = (id: string) => `/api/partner/customers/${encodeURIComponent(id)}`;

export const partnerApi = {
	customers: () => apiRequest<PartnerCustomerList>("GET", "/api/partner/customers"),
	/** One customer with the partner's name; 404 for a customer that is not the partner's. */
	customer: (id: string) => apiRequest<PartnerCustomerDetail>("GET", customerPath(id)),
	createCustomer: (body: NewCustomer) => apiRequest<CreatedCustomer>("POST", "/api/partner/customers", body),
};
