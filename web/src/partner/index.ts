// The partner pages' entry point: main.tsx lazy-loads this module, so the customer list and
// its forms are one chunk that only partners' administrators download. (The drill-down into a
// customer is the admin area's frame: web/src/admin/drill-down.tsx.)
export { default as Customers } from "./customers";
