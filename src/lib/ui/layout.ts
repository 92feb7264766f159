/**
 * The admin's page frame: its own stylesheet, a skip link, navigation by role in groups (a
 * sidebar on wide screens, a menu on narrow ones), the sign-out form and a message area. Used by the admin and by the sign-in and setup pages (without navigation).
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

/** The groups of the admin's navigation, in the order they are shown. */
export type NavGroup = "write" | "read" | "audience" | "settings";

/**
 * The navigation's groups: their headings, and where known entries go within them (entries a
 * group does not name follow those it names, by `order`). An entry without a `group` joins the
 * group that names its id, or the last group.
 */
export const navGroups: readonly { id: NavGroup; label: string; ids: readonly string[] }[] = [
  { id: "write", label: "Write", ids: ["posts", "media", "themes"] },
  { id: "read", label: "Read", ids: ["reader", "saves", "sources", "discover"] },
  {
    id: "audience",
    label: "Audience",
    ids: ["subscribers", "lists", "mail", "digests", "events", "inquiries", "conversations"],
  },
  { id: "settings", label: "Settings", ids: ["settings", "users"] },
];

/** An entry of the admin's navigation, declared by the module that owns the page. */
export interface NavEntry {
  id: string;
  href: string;
  label: string;
  /** The lowest role that sees it. */
  min: SessionUser["role"];
  /** The group it is listed under (see `navGroups`). */
  group?: NavGroup;
  /** Position within its group when the group does not name it, lowest first. */
  order: number;
}

/** Entries by group, in the groups' order; empty groups are left out. */
export function groupNav(entries: readonly NavEntry[]): { label: string; entries: NavEntry[] }[] {
  const last = navGroups[navGroups.length - 1];
  const groupOf = (n: NavEntry) => n.group ?? navGroups.find((g) => g.ids.includes(n.id))?.id ?? last.id;
  return navGroups
    .map((g) => {
      const rank = (n: NavEntry) => (g.ids.includes(n.id) ? g.ids.indexOf(n.id) : g.ids.length);
      const mine = entries.filter((n) => groupOf(n) === g.id);
      return { label: g.label, entries: mine.sort((a, b) => rank(a) - rank(b) || a.order - b.order) };
    })
    .filter((g) => g.entries.length > 0);
}

/** Hidden CSRF field for a form on this request. */
export function csrfField(c: Context<AppEnv>): Html {
  return html`<input type="hidden" name="_csrf" value="${c.get("csrfToken")}">`;
}

/** The grouped links, the link to the site and the account: the sidebar's and the menu's content. */
function navBody(c: Context<AppEnv>, user: SessionUser, section?: string): Html {
  const visible = (c.get("adminNav") ?? []).filter((n) => hasRole(user.role, n.min));
  return html`<nav aria-label="Admin">
    ${groupNav(visible).map(
      (g) => html`<div class="nav-group">
      <p class="nav-heading">${g.label}</p>
      <ul>
        ${g.entries.map(
          (n) => html`<li><a href="${n.href}"${n.id === section ? html` aria-current="page"` : ""}>${n.label}</a></li>`,
        )}
      </ul>
    </div>`,
    )}
  </nav>
  <div class="account">
    <a href="/">View site</a>
    <form method="post" action="/logout" class="signout">
      ${csrfField(c)}
      <span class="who">${user.name} (${user.role})</span>
      <button type="submit" class="link">Sign out</button>
    </form>
  </div>`;
}

/**
 * A sidebar on wide screens, a bar with a menu on narrow ones. The menu is a <details>, so it
 * opens without JavaScript; only one of the two is displayed at any width.
 */
function header(c: Context<AppEnv>, user: SessionUser, section?: string): Html {
  return html`<header class="shell">
  <a class="brand" href="/admin">${c.get("adminBrand") ?? "Liner Notes"}</a>
  <details class="menu">
    <summary>Menu</summary>
    <div class="menu-panel">${navBody(c, user, section)}</div>
  </details>
  <div class="sidebar">${navBody(c, user, section)}</div>
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
<title>${opts.title} · ${c.get("adminBrand") ?? "Liner Notes"} admin</title>
<link rel="stylesheet" href="/admin/assets/admin.css">
<script src="/admin/assets/admin-shell.js" defer></script>
${(opts.styles ?? []).map((s) => html`<link rel="stylesheet" href="/admin/assets/${s}">`)}
<script src="/admin/assets/unsaved.js" defer></script>
${(opts.scripts ?? []).map((s) => html`<script src="/admin/assets/${s}" defer></script>`)}
</head>
<body${user ? html` class="with-nav"` : ""}>
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
