/**
 * Whether mail can leave: without SMTP_URL every message waits in the outbox, and a page that just
 * queued one must not say it "is on its way" without saying so.
 */
import type { AppContext } from "../lib/context.ts";

/** Whether mail can leave this site at all (SMTP_URL is set). Pure over the config. */
export function mailCanLeave(ctx: AppContext): boolean {
  return Boolean(ctx.config.mail.smtpUrl);
}

/** "" when SMTP is set; else a sentence to add after "on its way" notices. Pure over the config. */
export function mailWaitingNote(ctx: AppContext): string {
  return mailCanLeave(ctx)
    ? ""
    : " Email is not set up yet (SMTP_URL), so it waits in the outbox until it is: see Email.";
}
