/** The mail module's declaration for the app shell (see lib/module.ts). */
import type { LinerModule } from "../lib/module.ts";
import { mailCommands } from "./cli-spec.ts";

export const mailModule: LinerModule = {
  name: "mail",
  routes: async () => (await import("./webhook.ts")).mailWebhookRoutes,
  admin: async () => ({ routes: (await import("./routes.ts")).mailRoutes }),
  nav: [{ id: "mail", href: "/admin/mail", label: "Email", min: "editor", group: "audience", order: 30 }],
  jobs: async () => (await import("./jobs.ts")).registerMailJobs,
  cli: mailCommands,
  // Connected once an SMTP server is configured (SMTP_URL): until then mail waits in the outbox.
  checklist: async () => async (ctx) => [
    {
      id: "email",
      label: "Connect email",
      href: "/admin/mail",
      done: ctx.config.mail.smtpUrl !== undefined,
      detail: ctx.config.mail.smtpUrl ? undefined : "Set an SMTP server so subscribers get your posts.",
      order: 50,
    },
  ],
};
