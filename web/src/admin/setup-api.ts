// The domain setup calls (src/api/admin-domain-setup.ts): add, verify, checklist, remove.
// Wire types written down from that file, as types.ts does for the rest of the admin API.
import { adminRequest } from "../api";
import type { DomainSettings, DomainVerification } from "./types";

export type ChecklistState = "done" | "todo" | "unknown";

export interface ChecklistItem {
	id: "ownership" | "mx" | "routing" | "destination" | "connection";
	title: string;
	state: ChecklistState;
	/** What was found and what to do, in the API's words. */
	detail: string;
	steps?: string[];
}

/** POST /domains and POST …/verify answer with the domain's settings and its verification. */
export interface SetupDomain extends DomainSettings {
	id: string;
	name: string;
	displayName: string;
	verification: DomainVerification;
}

export interface DomainChecklist extends SetupDomain {
	items: ChecklistItem[];
}

const path = (id: string) => `/domains/${encodeURIComponent(id)}`;

export const setupApi = {
	addDomain: (name: string) => adminRequest<SetupDomain>("POST", "/domains", { name }),
	verify: (id: string) => adminRequest<SetupDomain>("POST", `${path(id)}/verify`),
	checklist: (id: string) => adminRequest<DomainChecklist>("GET", `${path(id)}/checklist`),
	remove: (id: string) => adminRequest<void>("DELETE", path(id)),
};
