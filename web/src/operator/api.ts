// The operator's calls: the partners this deployment serves, and a new partner.
import type { CreatedPartner, NewPartner, OperatorPartnerList } from "../../../src/api/types";
import { apiRequest } from "../api";

export const operatorApi = {
	partners: () => apiRequest<OperatorPartnerList>("GET", "/api/operator/partners"),
	createPartner: (body: NewPartner) => apiRequest<CreatedPartner>("POST", "/api/operator/partners", body),
};
