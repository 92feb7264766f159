/** The mail module's public surface: other modules import only this file. */
export { ensureDeliveryJob } from "./deliver-job.ts";
export {
  ELEMENT_STYLES,
  type EmailMasthead,
  emailLayout,
  emailLink,
  emailMasthead,
  LINK_STYLE,
  listFooter,
  listFooterText,
  smallPrint,
} from "./layout.ts";
export { mailCanLeave, mailWaitingNote } from "./ready.ts";
export { eraseRecipient, mailOfSubscriber, sendsOfPost, withdrawMail, withdrawTopic } from "./recipients.ts";
export type { Recipient } from "./service.ts";
export { createSend, normalizeEmail, queueTransactional } from "./service.ts";
export type { MailContent, MailTemplate, SlotFn } from "./template.ts";
export { fillTemplate, mailTemplate } from "./template.ts";
