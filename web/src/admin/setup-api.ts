// The domain setup calls (src/api/admin-domain-setup.ts): add, verify, checklist, remove.
// Typed from the worker's wire format (src/api/domain-types.ts).
import type { DomainChecklist, SetupDomain } from "../../../src/api/domain-types";
import { adminRequest } from "../api";

const path = (id: string) => `/domains/${encodeURIComponent(id)}`;

export const setupApi = {
	addDomain: (name: string) => adminRequest<SetupDomain>("POST", "/domains", { name }),
	verify: (id: string) => adminRequest<SetupDomain>("POST", `${path(id)}/verify`),
	checklist: (id: string) => adminRequest<DomainChecklist>("GET", `${path(id)}/checklist`),
	remove: (id: string) => adminRequest<void>("DELETE", path(id)),
};
