/** The reader module's public surface: other modules import only this file. */

export { getItem as readerItem } from "./inbox/service.ts";
export type { ItemWithSource as ReaderItem } from "./inbox/store.ts";
export type { Credit } from "./saves/credits.ts";
export { hostOf } from "./saves/credits.ts";
export { fetchPage } from "./saves/fetch.ts";
export { checkUrl, creditsOfSaves, firstThemesOfSaves, savesBetween } from "./saves/service.ts";
export type { SaveOfPeriod } from "./saves/store.ts";
export { addSourceItems } from "./sources/service.ts";
