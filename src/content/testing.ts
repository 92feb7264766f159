/** Test support of the content module for other modules' tests. */
export { seedDemo } from "./demo.ts";
export { mediaUrl, pickVariant, saveUpload } from "./media.ts";
export { savePost, systemActor } from "./service.ts";
export { postStore, themeStore } from "./store.ts";
export { saveTheme } from "./themes.ts";
