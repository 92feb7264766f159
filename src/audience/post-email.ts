/**
 * The new-post email (pure): the post's rendered HTML in a simple, responsive, dark-mode-safe
 * frame with inline styles, absolute URLs, links tagged `ref=email`, a "view in browser" link
 * and the unsubscribe link; and a plain-text part. `{{unsubscribe_url}}` is filled per recipient.
 */

import { emailText } from "./email-text.ts";

export interface PostEmailInput {
  title: string;
  summary: string;
  bodyHtml: string;
  bodyText: string;
  /** Absolute URL of the post. */
  url: string;
  baseUrl: string;
  siteTitle: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** Add ref=email to a link on our site, so forwards and clicks can be counted as outcomes. */
export function tagLink(href: string, baseUrl: string): string {
  try {
    const u = new URL(href, baseUrl);
    if (u.origin !== new URL(baseUrl).origin) return u.href;
    u.searchParams.set("ref", "email");
    return u.href;
  } catch {
    return href;
  }
}

/** Each start tag of sanitized HTML (text has its `<` escaped, so code samples are left alone). */
const eachTag = (html: string, f: (tag: string) => string) => html.replace(/<[a-z][^>]*>/gi, f);

/** Make src/href absolute and tag our own links; the HTML was sanitized when the post was saved. */
export function absolutize(html: string, baseUrl: string): string {
  return eachTag(html, (tag) =>
    tag.replace(/\s(href|src)="([^"]*)"/g, (m, attr: string, value: string) => {
      const v = value.replace(/&amp;/g, "&");
      try {
        const out = attr === "href" ? tagLink(v, baseUrl) : new URL(v, baseUrl).href;
        return ` ${attr}="${esc(out)}"`;
      } catch {
        return m;
      }
    }),
  );
}

// Email clients drop most <style> blocks, so the post's own elements get inline styles: images
// shrink to the column instead of scrolling sideways, code wraps, quotes and links keep readable
// colours whatever the client's default (e.g. light link colours in dark mode on our white).
const INLINE: Record<string, string> = {
  img: "max-width:100%;height:auto;border:0",
  pre: "white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;color:#1a1a1a;padding:12px;border-radius:4px;font-size:15px;line-height:1.45",
  code: "font-family:Menlo,Consolas,monospace;font-size:0.9em",
  blockquote: "margin:16px 0;padding:0 0 0 16px;border-left:3px solid #cccccc;color:#444444",
  a: "color:#1a4f8b",
  table: "display:block;max-width:100%;overflow-x:auto;border-collapse:collapse",
  figure: "margin:16px 0",
};

/**
 * Add the inline styles above to the post's elements (the sanitizer allows no style attribute,
 * so there is none to clash with); drop srcset/sizes, whose relative URLs mail cannot resolve, and
 * lazy loading, which only delays images in a message that is read at once.
 */
export function emailStyles(html: string): string {
  return eachTag(html, (tag) =>
    tag
      .replace(/\s(?:srcset|sizes|loading)="[^"]*"/g, "")
      .replace(
        /^<(img|pre|code|blockquote|a|table|figure)\b/,
        (_m, name: string) => `<${name} style="${INLINE[name]}"`,
      ),
  );
}

// A real dark mode where clients support it (Apple Mail, iOS, some webmail); the inline light
// colours stay for the rest, which is readable too. !important beats the inline styles.
export const DARK = `<style>
@media (prefers-color-scheme: dark) {
.ln-bg { background: #121212 !important; color: #e8e6e3 !important; }
.ln-muted { color: #b4b4b4 !important; }
.ln-bg a { color: #8ab4f8 !important; }
.ln-bg a.ln-title { color: inherit !important; }
.ln-bg pre { background: #1e1e1e !important; color: #e8e6e3 !important; }
.ln-bg blockquote { color: #c8c8c8 !important; border-color: #555555 !important; }
.ln-bg hr { border-color: #444444 !important; }
}
</style>`;

// The author's own text must never be read as a placeholder ("{{name}}" in a post about
// templates): braces become an entity in HTML (rendered the same) and get a zero-width space
// between them in text.
const inertHtml = (s: string) => s.replaceAll("{{", "&#123;&#123;");
const inertText = (s: string) => s.replaceAll("{{", "{\u200b{");

/** Subject, HTML and text of a new-post email. */
export function postEmail(input: PostEmailInput): { subject: string; html: string; text: string } {
  const p = {
    ...input,
    title: inertText(input.title),
    summary: inertText(input.summary),
    // From the HTML rather than the search text: link addresses and image descriptions are kept.
    bodyText: inertText(emailText(input.bodyHtml, input.baseUrl)),
  };
  const url = tagLink(p.url, p.baseUrl);
  const body = inertHtml(emailStyles(absolutize(p.bodyHtml, p.baseUrl)));
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${esc(p.title)}</title>
${DARK}</head>
<body class="ln-bg" style="margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:Georgia,serif;font-size:18px;line-height:1.55">
<div style="max-width:640px;margin:0 auto;padding:24px 16px">
<p class="ln-muted" style="font-size:14px;color:#555555;margin:0 0 16px"><a href="${esc(url)}" style="color:#1a4f8b">View in your browser</a></p>
<h1 style="font-size:28px;line-height:1.2;margin:0 0 12px"><a class="ln-title" href="${esc(url)}" style="color:inherit;text-decoration:none">${esc(p.title)}</a></h1>
${p.summary ? `<p class="ln-muted" style="font-size:20px;color:#444444;margin:0 0 20px">${esc(p.summary)}</p>` : ""}
<div style="overflow-wrap:anywhere">${body}</div>
<hr style="border:0;border-top:1px solid #cccccc;margin:32px 0 16px">
<p class="ln-muted" style="font-size:14px;color:#555555">You get this because you subscribed to ${esc(p.siteTitle)}. <a href="{{unsubscribe_url}}" style="color:#1a4f8b">Unsubscribe in one click</a> · <a href="{{preferences_url}}" style="color:#1a4f8b">Email preferences</a>.</p>
</div></body></html>`;
  const text = `${p.title}\n${"=".repeat(Math.min(p.title.length, 72))}\n\n${p.summary ? `${p.summary}\n\n` : ""}${p.bodyText}\n\nRead it on the site: ${url}\n\n--\nYou get this because you subscribed to ${p.siteTitle}. Unsubscribe: {{unsubscribe_url}}\nPreferences: {{preferences_url}}\n`;
  return { subject: p.title, html, text };
}
