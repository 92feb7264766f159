import { DARK, emailStyles } from "../audience/index.ts";
import type { Credit } from "../reader/index.ts";
/**
 * Rendering a digest (pure): the email (HTML with inline styles, dark-mode safe, and plain text),
 * the web page body (h-cite per entry, inside the post's h-entry), and the exports to paste
 * elsewhere (Markdown, HTML). Blurbs are the owner's Markdown, rendered and sanitized by the
 * caller (`blurbHtml`). Per-recipient placeholders (`{{unsubscribe_url}}`) are filled by the
 * mail layer; the owner's own text is made inert so it can never be read as one.
 */

export interface EntryView {
  id: number;
  url: string;
  title: string;
  blurbMd: string;
  blurbHtml: string;
  blurbText: string;
  credits: Credit[];
  clicks: number;
}

export interface SectionView {
  id: number;
  title: string;
  kind: string;
  entries: EntryView[];
}

export interface DigestView {
  id: number;
  title: string;
  introMd: string;
  introHtml: string;
  introText: string;
  closingMd: string;
  closingHtml: string;
  closingText: string;
  sections: SectionView[];
}

export interface EmailOptions {
  siteTitle: string;
  /** The digest's page ("view in browser"). */
  webUrl: string;
  /** The href of an entry in the email (a tracked redirect, or the URL itself). */
  link: (e: EntryView) => string;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
const inertHtml = (s: string) => s.replaceAll("{{", "&#123;&#123;");
const inertText = (s: string) => s.replaceAll("{{", "{\u200b{");

/** "via A, who found it at B" as HTML, each credit linked when it has a URL. */
function creditsHtml(credits: Credit[], style = ""): string {
  if (!credits.length) return "";
  const one = (c: Credit) =>
    c.url ? `<a href="${esc(c.url)}"${style ? ` style="${style}"` : ""}>${esc(c.name)}</a>` : esc(c.name);
  return `via ${credits.map(one).join(", who found it at ")}`;
}
const creditsText = (credits: Credit[]) =>
  credits.length ? `via ${credits.map((c) => c.name).join(", who found it at ")}` : "";
const nonEmpty = (v: DigestView) => v.sections.filter((s) => s.entries.length > 0);

/** Subject, HTML and text of the digest email. */
export function digestEmail(v: DigestView, o: EmailOptions): { subject: string; html: string; text: string } {
  const link = "color:#1a4f8b";
  const sections = nonEmpty(v)
    .map(
      (
        s,
      ) => `<h2 style="font-size:22px;line-height:1.25;margin:32px 0 8px;border-bottom:1px solid #cccccc;padding-bottom:4px">${esc(inertText(s.title))}</h2>
${s.entries
  .map(
    (e) => `<div style="margin:0 0 20px">
<h3 style="font-size:19px;line-height:1.3;margin:0 0 4px"><a href="${esc(o.link(e))}" style="${link}">${esc(inertText(e.title))}</a></h3>
${e.blurbHtml ? `<div style="margin:0 0 4px">${inertHtml(emailStyles(e.blurbHtml))}</div>` : ""}
${e.credits.length ? `<p class="ln-muted" style="font-size:14px;color:#555555;margin:0">${inertHtml(creditsHtml(e.credits, link))}</p>` : ""}
</div>`,
  )
  .join("\n")}`,
    )
    .join("\n");
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark"><title>${esc(inertText(v.title))}</title>
${DARK}</head>
<body class="ln-bg" style="margin:0;padding:0;background:#ffffff;color:#1a1a1a;font-family:Georgia,serif;font-size:17px;line-height:1.55">
<div style="max-width:640px;margin:0 auto;padding:24px 16px;overflow-wrap:anywhere">
<p class="ln-muted" style="font-size:14px;color:#555555;margin:0 0 16px"><a href="${esc(o.webUrl)}" style="${link}">View in your browser</a></p>
<h1 style="font-size:28px;line-height:1.2;margin:0 0 12px">${esc(inertText(v.title))}</h1>
${v.introHtml ? `<div>${inertHtml(emailStyles(v.introHtml))}</div>` : ""}
${sections}
${v.closingHtml ? `<div style="margin-top:28px">${inertHtml(emailStyles(v.closingHtml))}</div>` : ""}
<hr style="border:0;border-top:1px solid #cccccc;margin:32px 0 16px">
<p class="ln-muted" style="font-size:14px;color:#555555">You get this because you subscribed to ${esc(o.siteTitle)}. <a href="{{unsubscribe_url}}" style="${link}">Unsubscribe in one click</a> · <a href="{{preferences_url}}" style="${link}">Email preferences</a>.</p>
</div></body></html>`;
  const textSections = nonEmpty(v)
    .map(
      (s) =>
        `${inertText(s.title)}\n${"-".repeat(Math.min(s.title.length, 72))}\n\n${s.entries
          .map(
            (e) =>
              `* ${inertText(e.title)}\n  ${o.link(e)}${e.blurbText ? `\n  ${inertText(e.blurbText).replace(/\n+/g, "\n  ")}` : ""}${
                e.credits.length ? `\n  (${inertText(creditsText(e.credits))})` : ""
              }`,
          )
          .join("\n\n")}`,
    )
    .join("\n\n");
  const text = `${inertText(v.title)}\n${"=".repeat(Math.min(v.title.length, 72))}\n\n${v.introText ? `${inertText(v.introText)}\n\n` : ""}${textSections}\n\n${
    v.closingText ? `${inertText(v.closingText)}\n\n` : ""
  }View in your browser: ${o.webUrl}\n\n--\nYou get this because you subscribed to ${o.siteTitle}. Unsubscribe: {{unsubscribe_url}}\nPreferences: {{preferences_url}}\n`;
  return { subject: inertText(v.title), html, text };
}

/** The body of the digest's web page: sections of h-cite entries (the page is the h-entry). */
export function digestBodyHtml(v: DigestView): string {
  const sections = nonEmpty(v)
    .map(
      (s) => `<section class="digest-section"><h2>${esc(s.title)}</h2>
${s.entries
  .map(
    (e) => `<div class="h-cite digest-entry"><h3><a class="u-url p-name" href="${esc(e.url)}">${esc(e.title)}</a></h3>
${e.blurbHtml ? `<div class="p-summary">${e.blurbHtml}</div>` : ""}
${e.credits.length ? `<p class="credits">${creditsHtml(e.credits)}</p>` : ""}</div>`,
  )
  .join("\n")}</section>`,
    )
    .join("\n");
  return `${v.introHtml ? `<div class="digest-intro">${v.introHtml}</div>\n` : ""}${sections}${
    v.closingHtml ? `\n<div class="digest-closing">${v.closingHtml}</div>` : ""
  }`;
}

/** Markdown to paste elsewhere (a LinkedIn newsletter, an intranet page). */
export function digestMarkdown(v: DigestView): string {
  const md = (s: string) => s.replace(/([[\]])/g, "\\$1");
  const credit = (c: Credit) => (c.url ? `[${md(c.name)}](${c.url})` : md(c.name));
  const parts = [`# ${v.title}`, ""];
  if (v.introMd) parts.push(v.introMd, "");
  for (const s of nonEmpty(v)) {
    parts.push(`## ${s.title}`, "");
    for (const e of s.entries) {
      parts.push(`### [${md(e.title)}](${e.url})`, "");
      if (e.blurbMd) parts.push(e.blurbMd, "");
      if (e.credits.length) parts.push(`*via ${e.credits.map(credit).join(", who found it at ")}*`, "");
    }
  }
  if (v.closingMd) parts.push(v.closingMd, "");
  return `${parts.join("\n").trimEnd()}\n`;
}

/** A standalone HTML fragment to paste elsewhere: the title and the page body, no tracking. */
export function digestExportHtml(v: DigestView): string {
  return `<h1>${esc(v.title)}</h1>\n${digestBodyHtml(v)}\n`;
}
