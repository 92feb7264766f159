/** The mail module's public surface: other modules import only this file. */
export { deliverDue } from "./delivery.ts";
export { ensureDeliveryJob } from "./jobs.ts";
export type { EmailLayoutInput } from "./layout.ts";
export {
  ELEMENT_STYLES,
  emailLayout,
  emailLink,
  LINK_STYLE,
  listFooter,
  listFooterText,
  smallPrint,
} from "./layout.ts";
export type { Recipient, SendStatusReport } from "./service.ts";
export { createSend, normalizeEmail, queueTransactional, sendStatus } from "./service.ts";
export { mailStore } from "./store.ts";
export type { MailContent, MailTemplate, MailVars, SlotFn, SlotName } from "./template.ts";
export { fillTemplate, literalTemplate, mailTemplate } from "./template.ts";
export type { SendError } from "./transport.ts";
export { createMailer, describeSmtp } from "./transport.ts";
