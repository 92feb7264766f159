/**
 * The conversation module's public surface (issue 14, in progress): so far the pure parts of
 * Webmention: endpoint discovery for sending, and the link check and classification for receiving.
 */
export { sanitizeCommentHtml } from "./comments/text.ts";
export {
  type ClassifiedMention,
  classifyMention,
  linksTo,
  type MentionAuthor,
  type MentionKind,
} from "./webmention/classify.ts";
export { discoverEndpoint, type HeaderLink, parseLinkHeader } from "./webmention/discover.ts";
