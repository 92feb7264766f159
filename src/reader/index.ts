/** The reader module's public surface: other modules import only this file. */
export { parseFeed } from "./feed/parse.ts";
export type { Feed } from "./feed/types.ts";
export { sanitizeHtml } from "./sanitize.ts";
export type { Credit } from "./saves/credits.ts";
export { creditLine, hostOf } from "./saves/credits.ts";
export { fetchPage, fetchProblemNotices } from "./saves/fetch.ts";
export { checkUrl, createSave, creditForUrl } from "./saves/service.ts";
export { saveStore } from "./saves/store.ts";
