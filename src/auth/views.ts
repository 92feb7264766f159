/** Sign-in and setup pages (admin look, no navigation). */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../lib/http/env.ts";
import type { SetupPart } from "../lib/module.ts";
import { type FieldErrors, input } from "../lib/ui/form.ts";
import { csrfField, page } from "../lib/ui/layout.ts";

export function loginPage(
  c: Context<AppEnv>,
  o: { email?: string; next?: string; error?: string; notice?: string; status?: number },
) {
  return page(
    c,
    { title: "Sign in", error: o.error, notice: o.notice, status: o.status },
    html`<div class="narrow">
<h1>Sign in</h1>
<form method="post" action="/login" class="stack">
  ${csrfField(c)}
  <input type="hidden" name="next" value="${o.next ?? ""}">
  ${input({ name: "email", label: "Email", type: "email", value: o.email, autocomplete: "username", required: true })}
  ${input({ name: "password", label: "Password", type: "password", autocomplete: "current-password", required: true })}
  <div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>
<p><a href="/reset-password">Forgot your password?</a></p>
</div>`,
  );
}

export function setupPage(
  c: Context<AppEnv>,
  o: {
    token: string;
    role: string;
    values?: Record<string, string>;
    errors?: FieldErrors;
    status?: number;
    /** Other modules' fields (the site's identity), with their values. */
    parts?: SetupPart[];
    partValues?: Record<string, string>[];
  },
) {
  const v = o.values ?? {};
  const errors = o.errors ?? {};
  return page(
    c,
    {
      title: "Create your account",
      status: o.status,
      error: o.errors ? "Please correct the fields marked below." : "",
    },
    html`<div class="narrow">
<h1>Create the ${o.role} account</h1>
<p>This link works once. After you create the account you will be signed in.</p>
<form method="post" action="/setup/${o.token}" class="stack" enctype="multipart/form-data">
  ${csrfField(c)}
  ${input({ name: "email", label: "Email", type: "email", value: v.email, autocomplete: "username", required: true, errors: o.errors })}
  ${input({ name: "name", label: "Your name", value: v.name, autocomplete: "name", errors: o.errors })}
  ${input({
    name: "password",
    label: "Password",
    type: "password",
    autocomplete: "new-password",
    hint: "At least 10 characters. A passphrase of a few words is good.",
    required: true,
    errors: o.errors,
  })}
  ${(o.parts ?? []).map((p, i) => p.fieldset(o.partValues?.[i] ?? {}, errors))}
  <div class="actions"><button type="submit" class="primary">Create account</button></div>
</form>
</div>`,
  );
}
