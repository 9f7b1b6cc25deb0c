// The admin calls for groups and recipient discovery, typed from the worker's wire format
// (src/api/directory-types.ts). Through adminRequest, so a partner's drill-down carries its customer.
import type {
	DiscoveryPage,
	DiscoveryRequest,
	DiscoveryRunResult,
	GroupCreate,
	GroupDetail,
	GroupPage,
	GroupPatch,
} from "../../../src/api/directory-types";
import { adminRequest } from "../api";

export type {
	DiscoveredRecipient,
	DiscoveryRunResult,
	GroupDetail,
	GroupMemberView,
	GroupSummary,
} from "../../../src/api/directory-types";

const groupPath = (id: string) => `/groups/${encodeURIComponent(id)}`;
const domainPath = (id: string) => `/domains/${encodeURIComponent(id)}`;

export const groupsApi = {
	list: (cursor: string | null) => adminRequest<GroupPage>("GET", "/groups", undefined, { cursor }),
	get: (id: string) => adminRequest<GroupDetail>("GET", groupPath(id)),
	create: (group: GroupCreate) => adminRequest<GroupDetail>("POST", "/groups", group),
	patch: (id: string, patch: GroupPatch) => adminRequest<GroupDetail>("PATCH", groupPath(id), patch),
	remove: (id: string) => adminRequest<void>("DELETE", groupPath(id)),
};

export const discoveryApi = {
	run: (domainId: string, request: DiscoveryRequest) =>
		adminRequest<DiscoveryRunResult>("POST", `${domainPath(domainId)}/discover`, request),
	list: (domainId: string, cursor: string | null) =>
		adminRequest<DiscoveryPage>("GET", `${domainPath(domainId)}/discovery`, undefined, { cursor }),
};
