/** The audience module's public surface: other modules import only this file. */
export { emailText } from "./email-text.ts";
export { DARK, emailStyles } from "./post-email.ts";
export { ensureDemoList, listRecipients, shownLists } from "./service.ts";
export type { ListRow } from "./store.ts";
export { audienceStore } from "./store.ts";
export { PER_SUBSCRIBER_NOTE, perSubscriberClicks, setPerSubscriberClicks } from "./tracking.ts";
export { subscribeForm } from "./views.ts";
