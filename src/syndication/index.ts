/** The syndication module's public surface: other modules import only this file. */
export { PLATFORMS, type Platform } from "./accounts.ts";
