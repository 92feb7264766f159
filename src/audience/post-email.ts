/**
 * The new-post email (pure): the post's HTML in the shared email layout, with absolute URLs,
 * links tagged `ref=email`, a "view in browser" link and the unsubscribe and preferences links
 * (per-recipient slots); and a plain-text part.
 */

import { h } from "../lib/html.ts";
import {
  emailLayout,
  emailLink,
  listFooter,
  listFooterText,
  type MailTemplate,
  mailTemplate,
  smallPrint,
} from "../mail/index.ts";
import { emailHtml, tagLink } from "./email-html.ts";
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

/** The new-post email, compiled with its per-recipient slots. */
export function postEmail(p: PostEmailInput): MailTemplate {
  const url = tagLink(p.url, p.baseUrl);
  // From the HTML rather than the search text: link addresses and image descriptions are kept.
  const bodyText = emailText(p.bodyHtml, p.baseUrl);
  return mailTemplate((slot) => ({
    subject: p.title,
    html: emailLayout({
      title: p.title,
      fontSize: 18,
      body: h`${smallPrint(emailLink(url, "View in your browser"), "0 0 16px")}
<h1 style="font-size:28px;line-height:1.2;margin:0 0 12px"><a class="ln-title" href="${url}" style="color:inherit;text-decoration:none">${p.title}</a></h1>
${p.summary ? h`<p class="ln-muted" style="font-size:20px;color:#444444;margin:0 0 20px">${p.summary}</p>` : ""}
<div style="overflow-wrap:anywhere">${emailHtml(p.bodyHtml, p.baseUrl)}</div>`,
      footer: listFooter(p.siteTitle, slot),
    }),
    text: `${p.title}\n${"=".repeat(Math.min(p.title.length, 72))}\n\n${p.summary ? `${p.summary}\n\n` : ""}${bodyText}\n\nRead it on the site: ${url}\n\n${listFooterText(p.siteTitle, slot)}`,
  }));
}
