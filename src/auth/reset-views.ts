/** The password reset pages: ask for a link, the answer, and the form that sets a new password. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import { type FieldErrors, input } from "../lib/ui/form.ts";
import { csrfField, page } from "../lib/ui/layout.ts";

/**
 * Said instead of "we'll send a link" when the site cannot send email (no SMTP_URL): a site-wide
 * fact, the same for every address, so it tells nobody which addresses have accounts.
 */
const noMail = html`<p>Email can't be sent from this site yet, so no link would reach you. The site's owner can make one on the server with <code>liner user reset-password EMAIL</code>.</p>`;

/** "Forgot your password?": the email form; `canMail` false when the site cannot send email. */
export function resetRequestPage(
  c: Context<AppEnv>,
  o: { email?: string; errors?: FieldErrors; error?: string; status?: number; canMail: boolean },
) {
  return page(
    c,
    {
      title: "Reset your password",
      status: o.status,
      error: o.error ?? (o.errors ? "Please correct the field marked below." : ""),
    },
    html`<div class="narrow">
<h1>Reset your password</h1>
${o.canMail ? html`<p>Enter your account's email address, and we'll send it a link to set a new password.</p>` : noMail}
<form method="post" action="/reset-password" class="stack">
  ${csrfField(c)}
  ${input({ name: "email", label: "Email", type: "email", value: o.email, autocomplete: "username", required: true, errors: o.errors })}
  <div class="actions"><button type="submit" class="primary">Send the link</button> <a href="/login">Back to sign in</a></div>
</form>
</div>`,
  );
}

/** The one answer to every request, whether or not an account has the address. */
export function resetSentPage(c: Context<AppEnv>, email: string, hours: number, canMail: boolean) {
  if (!canMail) {
    return page(
      c,
      { title: "Ask the site's owner" },
      html`<div class="narrow">
<h1>Ask the site's owner</h1>
${noMail}
<p><a href="/login">Back to sign in</a></p>
</div>`,
    );
  }
  return page(
    c,
    { title: "Check your email" },
    html`<div class="narrow">
<h1>Check your email</h1>
<p>If an account uses <strong>${email}</strong>, we've sent it a link to set a new password. The link works once, for ${hours} hour${hours === 1 ? "" : "s"}; asking again replaces it.</p>
<p>Nothing after a few minutes? Check your spam folder, or ask the site's owner: they can make a link with <code>liner user reset-password EMAIL</code>.</p>
<p><a href="/login">Back to sign in</a></p>
</div>`,
  );
}

/**
 * The reset link's page: a new password. `email` is the account's, in a read-only username field,
 * so that a password manager saves the new password for the right account.
 */
export function newPasswordPage(
  c: Context<AppEnv>,
  o: { token: string; email: string; errors?: FieldErrors; status?: number },
) {
  return page(
    c,
    { title: "Set a new password", status: o.status, error: o.errors ? "Please correct the field marked below." : "" },
    html`<div class="narrow">
<h1>Set a new password</h1>
<p>This link works once. Setting a password signs you out everywhere else and signs you in here.</p>
<form method="post" action="/reset-password/${o.token}" class="stack">
  ${csrfField(c)}
  ${input({ name: "username", label: "Account", type: "email", value: o.email, autocomplete: "username", extra: html` readonly` })}
  ${input({
    name: "password",
    label: "New password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 10 characters. A passphrase of a few words is good.",
    required: true,
    errors: o.errors,
  })}
  <div class="actions"><button type="submit" class="primary">Set password</button></div>
</form>
</div>`,
  );
}
