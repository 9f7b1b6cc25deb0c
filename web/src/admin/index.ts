// The admin area's one entry point: main.tsx lazy-loads this module, so everything under
// web/src/admin lands in a single chunk that users who never open it never download.
export { default as Activity } from "./activity";
export { default as CompanySettings } from "./company";
export { default as Domain } from "./domain";
export { default as Domains } from "./domains";
export { default as Groups } from "./groups";
export { default as AdminHome } from "./home";
export { default as AdminLayout } from "./layout";
export { default as Reports } from "./reports";
export { default as UserDetail } from "./user-detail";
export { default as UserInbox } from "./user-inbox";
export { default as Users } from "./users";
export { default as UsersImport } from "./users-import";
