/** The audience module's public surface: other modules import only this file. */
export { emailHtml } from "./email-html.ts";
export { emailText } from "./email-text.ts";
export { ensureDemoList, listRecipients, shownLists } from "./service.ts";
export type { ListRow } from "./store.ts";
export { audienceStore } from "./store.ts";
export { PER_SUBSCRIBER_NOTE, perSubscriberClicks, setPerSubscriberClicks } from "./tracking.ts";
export { subscribeForm } from "./views.ts";
