/** The content module's public surface: other modules import only this file. */

export type { BatchRenderer, ImportItem, ImportResult, RenderOutcome } from "./bulk.ts";
export { renderOutcome } from "./bulk.ts";
export { seedDemoOnFirstStart } from "./demo.ts";
export { renderMarkdown, rewritePostHtml } from "./markdown.ts";
export type { MarkdownPost } from "./markdown-files.ts";
export { FrontMatterError, parseMarkdownFile, parseThemesFile, themesFileName } from "./markdown-files.ts";
export { relatedPostIds } from "./related.ts";
export type { SearchHit } from "./search.ts";
export { fts5Query, markSnippet, queryTerms, searchPosts } from "./search.ts";
export type { Actor, LinkTarget } from "./service.ts";
export {
  canEdit,
  contentChanged,
  deletePost,
  postPath,
  renderBody,
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
export { historyStore, postStore, themeStore } from "./store.ts";
export { saveTheme } from "./themes.ts";
