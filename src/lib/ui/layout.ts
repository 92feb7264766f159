/**
 * The admin's page frame: its own stylesheet, a skip link, navigation by role, the sign-out form
 * and a message area. Used by the admin and by the sign-in and setup pages (without navigation).
 * The navigation is what the modules declared (`NavEntry`); the admin shell puts it on the request.
 * No inline styles or scripts: scripts are external files from /admin/assets. Every page loads
 * unsaved.js, which warns before leaving a `<form data-warn-unsaved>` with unsaved changes.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AppEnv, SessionUser } from "../http/env.ts";
import { hasRole } from "../roles.ts";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageOptions {
  title: string;
  /** Navigation item to mark as current (a `NavEntry` id). */
  section?: string;
  /** A status message shown at the top (after a redirect). */
  notice?: string;
  /** An error shown at the top of the page. */
  error?: string;
  /** External scripts under /admin/assets. */
  scripts?: string[];
  /** Extra stylesheets under /admin/assets (after admin.css). */
  styles?: string[];
  status?: number;
}

/** An entry of the admin's navigation, declared by the module that owns the page. */
export interface NavEntry {
  id: string;
  href: string;
  label: string;
  /** The lowest role that sees it. */
  min: SessionUser["role"];
  /** Position in the bar, lowest first (the shell sorts by it). */
  order: number;
}

/** Hidden CSRF field for a form on this request. */
export function csrfField(c: Context<AppEnv>): Html {
  return html`<input type="hidden" name="_csrf" value="${c.get("csrfToken")}">`;
}

function header(c: Context<AppEnv>, user: SessionUser, section?: string): Html {
  return html`<header class="top">
  <a class="brand" href="/admin">Liner Notes</a>
  <nav aria-label="Admin">
    <ul>
      ${(c.get("adminNav") ?? [])
        .filter((n) => hasRole(user.role, n.min))
        .map(
          (n) => html`<li><a href="${n.href}"${n.id === section ? html` aria-current="page"` : ""}>${n.label}</a></li>`,
        )}
      <li><a href="/">View site</a></li>
    </ul>
  </nav>
  <form method="post" action="/logout" class="signout">
    ${csrfField(c)}
    <span class="who">${user.name} (${user.role})</span>
    <button type="submit" class="link">Sign out</button>
  </form>
</header>`;
}

/** Render a full admin page. */
export function page(c: Context<AppEnv>, opts: PageOptions, body: Html) {
  const user = c.get("user");
  const status = (opts.status ?? 200) as 200;
  return c.html(
    html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="csrf-token" content="${c.get("csrfToken")}">
<title>${opts.title} · Liner Notes admin</title>
<link rel="stylesheet" href="/admin/assets/admin.css">
${(opts.styles ?? []).map((s) => html`<link rel="stylesheet" href="/admin/assets/${s}">`)}
<script src="/admin/assets/unsaved.js" defer></script>
${(opts.scripts ?? []).map((s) => html`<script src="/admin/assets/${s}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${user ? header(c, user, opts.section) : ""}
<main id="main" tabindex="-1">
${opts.notice ? html`<p class="notice" role="status">${opts.notice}</p>` : ""}
${opts.error ? html`<p class="error-summary" role="alert">${opts.error}</p>` : ""}
${body}
</main>
</body>
</html>`,
    status,
  );
}

/** A short page with a heading and a message (errors, confirmations). */
export function messagePage(c: Context<AppEnv>, status: number, title: string, message: string, extra: Html = html``) {
  return page(
    c,
    { title, status },
    html`<h1>${title}</h1>
<p>${message}</p>
${extra}
<p><a href="${c.get("user") ? "/admin" : "/"}">${c.get("user") ? "Back to the admin" : "Go to the home page"}</a></p>`,
  );
}

/** Format an ISO time for tables, in a time zone. */
export function when(iso: string | null, timeZone: string): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}
