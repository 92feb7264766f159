/** The site module's public surface: other modules import only this file. */
export { assetUrl } from "./assets.ts";
export { cachedPageFastPath, cachedPageNodeFastPath } from "./cache-fast.ts";
export { renderErrorPage } from "./errors.ts";
export { xmlEscape } from "./feeds.ts";
export { countedPages } from "./page-views.ts";
export { loadChrome } from "./service.ts";
export { authorName } from "./views/components.ts";
export type { Chrome } from "./views/layout.ts";
export { layout } from "./views/layout.ts";
