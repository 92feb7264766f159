/** Test support of the reader module for other modules' tests. */
export { addFolder, addItem, addSource } from "./inbox/testing.ts";
export { createSave, proposalForItem } from "./saves/service.ts";
export { makeTheme, pageServer } from "./saves/testing.ts";
export { registerPollJobs } from "./sources/jobs.ts";
export { pollNow } from "./sources/poll.ts";
export { followSource } from "./sources/service.ts";
export type { FeedServer } from "./sources/testing.ts";
export { feedServer, rss } from "./sources/testing.ts";
