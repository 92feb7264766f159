/** The mail module's public surface: other modules import only this file. */
export { deliverDue } from "./delivery.ts";
export { ensureDeliveryJob } from "./jobs.ts";
export type { MailVars } from "./message.ts";
export type { Recipient, SendStatusReport } from "./service.ts";
export { createSend, normalizeEmail, queueTransactional, sendStatus } from "./service.ts";
export { mailStore } from "./store.ts";
export type { SendError } from "./transport.ts";
export { createMailer, describeSmtp } from "./transport.ts";
