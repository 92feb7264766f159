/** Test support of the audience module for other modules' tests. */
export { sendPost } from "./post-send.ts";
export { addSubscriber, createList, requestSubscription } from "./service.ts";
