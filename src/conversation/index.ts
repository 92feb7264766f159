/**
 * The conversation module's public surface: the pure parts of Webmention (endpoint discovery for
 * sending, the link check and classification for receiving), and items from other networks.
 */
export { commentHtml, sanitizeCommentHtml } from "./comments/text.ts";
export {
  conversationItem,
  conversationItemByRemote,
  type RemoteItem,
  recordRemoteItem,
  removeAuthorItems,
  removeRemoteItem,
} from "./remote.ts";
export {
  type ClassifiedMention,
  classifyMention,
  linksTo,
  type MentionAuthor,
  type MentionKind,
} from "./webmention/classify.ts";
export { discoverEndpoint, type HeaderLink, parseLinkHeader } from "./webmention/discover.ts";
