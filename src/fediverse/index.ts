/**
 * The fediverse module's public surface (issue 15, in progress): so far Fedify's key–value store
 * and message queue on our database.
 */
export { dbKvStore } from "./kv.ts";
export { fediMessageJob, jobsMessageQueue } from "./queue.ts";
