/** The content module's public surface: other modules import only this file. */

export { linkUrlsOf } from "./announce.ts";
export type { CoverImage } from "./cover.ts";
export { coverImageOf } from "./cover.ts";
export { seedDemoOnFirstStart } from "./demo.ts";
export { renderMarkdown, rewritePostHtml } from "./markdown.ts";
export {
  allThemes,
  countPosts,
  deletedAt,
  listPostRows,
  ownPostsBetween,
  postAtPath,
  postById,
  postBySlug,
  postStateBySlug,
  redirectOf,
  themeBySlug,
  themesOfPosts,
} from "./queries.ts";
export { relatedPostIds } from "./related.ts";
export type { SearchHit } from "./search.ts";
export { fts5Query, markSnippet, queryTerms, searchPosts } from "./search.ts";
export type { Actor } from "./service.ts";
export {
  canEdit,
  contentChanged,
  deletePost,
  postFeedId,
  postPath,
  savePost,
  setDigestPageHtml,
  setLinkTarget,
  systemActor,
} from "./service.ts";
export type { SiteSettings } from "./settings.ts";
export { getSiteSettings, saveSiteSettings, siteSettingsSchema } from "./settings.ts";
export { isSlug, slugify } from "./slug.ts";
export { textSnippet } from "./snippet.ts";
export type { PostRow, ThemeRow } from "./store.ts";
export { saveTheme } from "./themes.ts";
