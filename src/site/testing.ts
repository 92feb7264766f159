/** Test support of the site module for other modules' tests. */
export { seedSite } from "./test-fixtures.ts";
