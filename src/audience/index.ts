/** The audience module's public surface: other modules import only this file. */

export { isConfirmedSubscriber } from "./confirmed.ts";
export { emailHtml } from "./email-html.ts";
export { emailText } from "./email-text.ts";
export {
  emptyListsWarning,
  listsWithConfirmed,
  type SendTargets,
  sendQuestion,
  sendTargets,
} from "./lists.ts";
export { type SendConfirm, sendConfirmPage } from "./send-confirm.ts";
export { allLists, ensureDemoList, listRecipients, requireLists } from "./service.ts";
export type { ListRow } from "./store.ts";
export { PER_SUBSCRIBER_NOTE, perSubscriberClicks, setPerSubscriberClicks } from "./tracking.ts";
