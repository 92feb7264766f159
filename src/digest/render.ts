/**
 * Rendering a digest (pure): the email (the shared email layout, and plain text), the web page
 * body (h-cite per entry, inside the post's h-entry), and the exports to paste elsewhere
 * (Markdown, HTML). Blurbs are the owner's Markdown, rendered and sanitized by the caller
 * (`blurbHtml`). The per-recipient values (unsubscribe and preferences links, the click
 * reference) are slots of the email template, filled by the mail module for each recipient.
 */
import { emailHtml } from "../audience/index.ts";
import { type H, h, raw } from "../lib/html.ts";
import {
  emailLayout,
  emailLink,
  LINK_STYLE,
  listFooter,
  listFooterText,
  type MailContent,
  type MailTemplate,
  mailTemplate,
  type SlotFn,
  smallPrint,
} from "../mail/index.ts";
import type { Credit } from "../reader/index.ts";

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
  /**
   * The href of an entry in the email (a tracked redirect, or the URL itself); it may hold a
   * slot, the recipient's click reference (`${url}?s=${slot("click_ref")}`).
   */
  link: (e: EntryView, slot: SlotFn) => string;
}

/** "via A, who found it at B" as HTML, each credit linked when it has a URL. */
function creditsHtml(credits: Credit[], style?: string): H {
  const one = (c: Credit) => (c.url ? h`<a href="${c.url}"${style ? h` style="${style}"` : ""}>${c.name}</a>` : c.name);
  return h`via ${credits.map((c, i) => h`${i ? ", who found it at " : ""}${one(c)}`)}`;
}
const creditsText = (credits: Credit[]) =>
  credits.length ? `via ${credits.map((c) => c.name).join(", who found it at ")}` : "";
const nonEmpty = (v: DigestView) => v.sections.filter((s) => s.entries.length > 0);

/** One entry of the email. */
function entryHtml(e: EntryView, o: EmailOptions, slot: SlotFn): H {
  return h`<div style="margin:0 0 20px">
<h3 style="font-size:19px;line-height:1.3;margin:0 0 4px">${emailLink(o.link(e, slot), e.title)}</h3>
${e.blurbHtml ? h`<div style="margin:0 0 4px">${emailHtml(e.blurbHtml)}</div>` : ""}
${e.credits.length ? h`<p class="ln-muted" style="font-size:14px;color:#555555;margin:0">${creditsHtml(e.credits, LINK_STYLE)}</p>` : ""}
</div>
`;
}

/** The digest's plain text, with the recipient's links. */
function digestText(v: DigestView, o: EmailOptions, slot: SlotFn): string {
  const textSections = nonEmpty(v)
    .map(
      (s) =>
        `${s.title}\n${"-".repeat(Math.min(s.title.length, 72))}\n\n${s.entries
          .map(
            (e) =>
              `* ${e.title}\n  ${o.link(e, slot)}${e.blurbText ? `\n  ${e.blurbText.replace(/\n+/g, "\n  ")}` : ""}${
                e.credits.length ? `\n  (${creditsText(e.credits)})` : ""
              }`,
          )
          .join("\n\n")}`,
    )
    .join("\n\n");
  return `${v.title}\n${"=".repeat(Math.min(v.title.length, 72))}\n\n${v.introText ? `${v.introText}\n\n` : ""}${textSections}\n\n${
    v.closingText ? `${v.closingText}\n\n` : ""
  }View in your browser: ${o.webUrl}\n\n${listFooterText(o.siteTitle, slot)}`;
}

/** The digest email, compiled with its per-recipient slots. */
export function digestEmail(v: DigestView, o: EmailOptions): MailTemplate {
  return mailTemplate((slot) => ({
    subject: v.title,
    html: emailLayout({
      title: v.title,
      body: h`${smallPrint(emailLink(o.webUrl, "View in your browser"), "0 0 16px")}
<h1 style="font-size:28px;line-height:1.2;margin:0 0 12px">${v.title}</h1>
${v.introHtml ? h`<div>${emailHtml(v.introHtml)}</div>` : ""}
${nonEmpty(v).map(
  (
    s,
  ) => h`<h2 style="font-size:22px;line-height:1.25;margin:32px 0 8px;border-bottom:1px solid #cccccc;padding-bottom:4px">${s.title}</h2>
${s.entries.map((e) => entryHtml(e, o, slot))}`,
)}
${v.closingHtml ? h`<div style="margin-top:28px">${emailHtml(v.closingHtml)}</div>` : ""}`,
      footer: listFooter(o.siteTitle, slot),
    }),
    text: digestText(v, o, slot),
  }));
}

/** "Your digest is ready to review": to the owner, with the link to the draft and what happens next. */
export function reviewEmail(entries: number, link: string, plan: string): MailContent {
  const subject = `Your digest is ready to review (${entries} ${entries === 1 ? "entry" : "entries"})`;
  return {
    subject,
    text: `The draft of your next digest is ready: ${link}\n\n${plan}\n`,
    html: emailLayout({
      title: subject,
      body: h`<p>The draft of your next digest is ready: ${emailLink(link, "review it")}.</p>\n<p>${plan}</p>`,
    }),
  };
}

/** The body of the digest's web page: sections of h-cite entries (the page is the h-entry). */
function bodyHtml(v: DigestView): H {
  // Blurbs, intro and closing were sanitized when they were rendered.
  const sections = nonEmpty(v).map(
    (s, i) => h`${i ? "\n" : ""}<section class="digest-section"><h2>${s.title}</h2>
${s.entries.map(
  (
    e,
    j,
  ) => h`${j ? "\n" : ""}<div class="h-cite digest-entry"><h3><a class="u-url p-name" href="${e.url}">${e.title}</a></h3>
${e.blurbHtml ? h`<div class="p-summary">${raw(e.blurbHtml)}</div>` : ""}
${e.credits.length ? h`<p class="credits">${creditsHtml(e.credits)}</p>` : ""}</div>`,
)}</section>`,
  );
  return h`${v.introHtml ? h`<div class="digest-intro">${raw(v.introHtml)}</div>\n` : ""}${sections}${
    v.closingHtml ? h`\n<div class="digest-closing">${raw(v.closingHtml)}</div>` : ""
  }`;
}

/** The body of the digest's web page, as the post stores it. */
export function digestBodyHtml(v: DigestView): string {
  return bodyHtml(v).toString();
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
  return h`<h1>${v.title}</h1>\n${bodyHtml(v)}\n`.toString();
}
