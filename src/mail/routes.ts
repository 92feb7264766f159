/**
 * /admin/mail: where mail goes, the outbox, recent sends with progress; "Check the connection"
 * (an unreachable or refusing server is reported on the page, never as a crash) and "Send a
 * test to me" (through the outbox, like every message).
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { mailWaitingNote } from "./ready.ts";
import { queueTransactional, sendStatus } from "./service.ts";
import { mailStore } from "./store.ts";
import { testMessage } from "./test-message.ts";
import { createMailer, describeSmtp, SendError } from "./transport.ts";
import { mailPage } from "./views/mail.ts";

/** Register the Email page on the admin app (editors and owners). */
export function mailRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/mail", requireUser("editor"));
  app.use("/mail/*", requireUser("editor"));
  const render = async (c: Context<AppEnv>, extra: { notice?: string; error?: string; status?: number } = {}) => {
    const store = mailStore(ctx.db);
    const sends = await Promise.all((await store.listSends(10)).map((s) => sendStatus(ctx, s.id)));
    const { smtpUrl, from } = ctx.config.mail;
    return mailPage(c, {
      server: smtpUrl ? describeSmtp(smtpUrl) : null,
      from,
      ...(await store.outboxSummary()),
      sends,
      ...extra,
    });
  };
  const notices: Record<string, (n: string) => string> = {
    test: () => `A test message is on its way to you.${mailWaitingNote(ctx)}`,
    sent: (n) =>
      `The email is on its way to ${Number(n) || 0} ${Number(n) === 1 ? "recipient" : "recipients"}; progress below.${mailWaitingNote(ctx)}`,
  };
  app.get("/mail", (c) => render(c, { notice: notices[c.req.query("msg") ?? ""]?.(c.req.query("n") ?? "") }));

  app.post("/mail/check", async (c) => {
    const smtpUrl = ctx.config.mail.smtpUrl;
    if (!smtpUrl) return render(c, { error: "SMTP_URL is not set, so there is nothing to check.", status: 409 });
    const mailer = createMailer({ ...ctx.config.mail, smtpUrl });
    try {
      await mailer.verify();
      return render(c, { notice: `Connected to ${describeSmtp(smtpUrl)} and signed in: mail can go out.` });
    } catch (err) {
      const reason = err instanceof SendError ? err.message : String(err);
      // 200: the page worked; the server did not. The reason is what the user needs.
      return render(c, { error: `Could not use ${describeSmtp(smtpUrl)}: ${reason}` });
    } finally {
      mailer.close();
    }
  });

  app.post("/mail/test", async (c) => {
    const user = c.get("user");
    if (!user) return c.redirect("/login?next=/admin/mail", 303);
    await queueTransactional(ctx, { to: user.email, ...testMessage(`from the admin of ${ctx.config.baseUrl}`) });
    return c.redirect("/admin/mail?msg=test", 303);
  });
}
