/**
 * The conversation module's public surface (issue 14, in progress): so far the pure Webmention
 * endpoint discovery that sending will use.
 */
export { discoverEndpoint, type HeaderLink, parseLinkHeader } from "./webmention/discover.ts";
