/**
 * The frame every email is drawn in: a table-based, inline-styled page (mail clients drop most
 * stylesheets and lay out tables best), light by default with a real dark mode where the client
 * supports one. Built with the escaping `h` template, like the site's pages; renderers pass
 * their content as `H`.
 */
import { type H, h, raw } from "../lib/html.ts";
import type { SlotFn } from "./template.ts";

/** Link colour on the light background (dark mode swaps it in the stylesheet below). */
export const LINK_STYLE = "color:#1a4f8b";

/**
 * Inline styles for the elements of HTML put into an email (a post's body, a digest's blurbs):
 * images shrink to the column instead of scrolling sideways, code wraps, quotes and links keep
 * readable colours whatever the client's default.
 */
export const ELEMENT_STYLES: Readonly<Record<string, string>> = {
  img: "max-width:100%;height:auto;border:0",
  pre: "white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;color:#1a1a1a;padding:12px;border-radius:4px;font-size:15px;line-height:1.45",
  code: "font-family:Menlo,Consolas,monospace;font-size:0.9em",
  blockquote: "margin:16px 0;padding:0 0 0 16px;border-left:3px solid #cccccc;color:#444444",
  a: LINK_STYLE,
  table: "display:block;max-width:100%;overflow-x:auto;border-collapse:collapse",
  figure: "margin:16px 0",
};

// A real dark mode where clients support it (Apple Mail, iOS, some webmail); the inline light
// colours stay for the rest, which is readable too. !important beats the inline styles.
const DARK = raw(`<style>
@media (prefers-color-scheme: dark) {
.ln-bg { background: #121212 !important; color: #e8e6e3 !important; }
.ln-muted { color: #b4b4b4 !important; }
.ln-bg a { color: #8ab4f8 !important; }
.ln-bg a.ln-title { color: inherit !important; }
.ln-bg pre { background: #1e1e1e !important; color: #e8e6e3 !important; }
.ln-bg blockquote { color: #c8c8c8 !important; border-color: #555555 !important; }
.ln-bg hr { border-color: #444444 !important; }
}
</style>`);

const PAGE = "background:#ffffff;color:#1a1a1a";

export interface EmailLayoutInput {
  /** The document's title (some clients show it). */
  title: string;
  /** The content. */
  body: H;
  /** Small print after a rule: why the reader gets this, how to stop it (see `smallPrint`). */
  footer?: H;
  /** Body text size in px (default 17). */
  fontSize?: number;
}

/** A whole email document around `body`. */
export function emailLayout(l: EmailLayoutInput): H {
  const text = `${PAGE};font-family:Georgia,serif;font-size:${l.fontSize ?? 17}px;line-height:1.55;text-align:left;overflow-wrap:anywhere;word-wrap:break-word`;
  return h`<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${l.title}</title>
${DARK}</head>
<body class="ln-bg" style="margin:0;padding:0;${PAGE}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="ln-bg" style="width:100%;border-collapse:collapse;${PAGE}"><tr><td align="center" style="padding:24px 16px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:640px;border-collapse:collapse;table-layout:fixed"><tr><td class="ln-bg" style="${text}">
${l.body}
${l.footer ? h`<hr style="border:0;border-top:1px solid #cccccc;margin:32px 0 16px">\n${l.footer}` : ""}
</td></tr></table>
</td></tr></table>
</body></html>`;
}

/** What an email's masthead shows: the site's name, linked, and its logo when it has one. */
export interface EmailMasthead {
  siteTitle: string;
  /** Absolute URL of the site's home page. */
  url: string;
  /** Absolute URL of the site's logo; none yet in the site settings, so the name alone shows. */
  logoUrl?: string;
}

/** The site's header at the top of a list email: its logo (if any) and its name, linking home. */
export function emailMasthead(m: EmailMasthead): H {
  return h`<p class="ln-masthead" style="margin:0 0 20px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;font-weight:bold;letter-spacing:0.02em"><a class="ln-title" href="${m.url}" style="color:inherit;text-decoration:none">${
    m.logoUrl
      ? h`<img src="${m.logoUrl}" alt="" width="32" height="32" style="width:32px;height:32px;border:0;vertical-align:middle;margin-right:8px">`
      : ""
  }${m.siteTitle}</a></p>`;
}

/** A paragraph of small, muted text (the "view in browser" line, the footer). */
export function smallPrint(content: H | string, margin?: string): H {
  return h`<p class="ln-muted" style="font-size:14px;color:#555555${margin ? `;margin:${margin}` : ""}">${content}</p>`;
}

/** A link in our link colour; `href` may be a slot. */
export function emailLink(href: string | H, text: H | string): H {
  return h`<a href="${href}" style="${LINK_STYLE}">${text}</a>`;
}

/**
 * The small print of a list email: why the reader gets it, one-click unsubscribe and the
 * preferences page (both per-recipient slots).
 */
export function listFooter(siteTitle: string, slot: SlotFn): H {
  return smallPrint(
    h`You get this because you subscribed to ${siteTitle}. ${emailLink(slot("unsubscribe_url"), "Unsubscribe in one click")} · ${emailLink(slot("preferences_url"), "Email preferences")}.`,
  );
}

/** The same small print for the text part. */
export function listFooterText(siteTitle: string, slot: SlotFn): string {
  return `--\nYou get this because you subscribed to ${siteTitle}. Unsubscribe: ${slot("unsubscribe_url")}\nPreferences: ${slot("preferences_url")}\n`;
}
