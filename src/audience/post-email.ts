/**
 * The new-post email (pure): the site's masthead, the post's cover and HTML in the shared email
 * layout, with absolute URLs, links tagged `ref=email` (and, for a real send, through the click
 * redirect: `track`), a "view in browser" link and the unsubscribe and preferences links
 * (per-recipient slots); and a plain-text part. No tracking pixel unless the owner turned open
 * counting on for the send (`openPixel`).
 */

import { h } from "../lib/html.ts";
import {
  type EmailMasthead,
  emailLayout,
  emailLink,
  emailMasthead,
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
  /** The site's logo (absolute URL); site settings have none yet, so the masthead shows the name. */
  logoUrl?: string;
  /** The post's cover image: an absolute URL, its size and alt text. */
  cover?: { src: string; width?: number; height?: number; alt: string };
  /** Makes a link (absolute, tagged) the address that counts its click; links stay as they are without. */
  track?: (href: string) => string;
  /** Only for a send the owner asked to count opens of: the counting image's URL. */
  openPixel?: string;
}

/** Widest an image is shown in the email's 640px column, less its padding. */
const COLUMN = 600;

function coverHtml(c: NonNullable<PostEmailInput["cover"]>, href: string) {
  // Sized to the column with width and max-width (Outlook reads the attribute, others the style).
  const width = Math.min(c.width ?? COLUMN, COLUMN);
  const height = c.width && c.height ? Math.round((c.height * width) / c.width) : undefined;
  return h`<p style="margin:0 0 20px"><a href="${href}"><img src="${c.src}" alt="${c.alt}" width="${width}"${height ? h` height="${height}"` : ""} style="display:block;width:100%;max-width:${width}px;height:auto;border:0"></a></p>`;
}

/** The new-post email, compiled with its per-recipient slots. */
export function postEmail(p: PostEmailInput): MailTemplate {
  const track = p.track ?? ((href: string) => href);
  const url = track(tagLink(p.url, p.baseUrl));
  const masthead: EmailMasthead = {
    siteTitle: p.siteTitle,
    url: track(tagLink(p.baseUrl, p.baseUrl)),
    logoUrl: p.logoUrl,
  };
  // From the HTML rather than the search text: link addresses and image descriptions are kept.
  const bodyText = emailText(p.bodyHtml, p.baseUrl);
  return mailTemplate((slot) => ({
    subject: p.title,
    html: emailLayout({
      title: p.title,
      fontSize: 18,
      body: h`${emailMasthead(masthead)}
${smallPrint(emailLink(url, "View in your browser"), "0 0 16px")}
${p.cover ? coverHtml(p.cover, url) : ""}
<h1 style="font-size:28px;line-height:1.2;margin:0 0 12px"><a class="ln-title" href="${url}" style="color:inherit;text-decoration:none">${p.title}</a></h1>
${p.summary ? h`<p class="ln-muted" style="font-size:20px;color:#444444;margin:0 0 20px">${p.summary}</p>` : ""}
<div style="overflow-wrap:anywhere">${emailHtml(p.bodyHtml, p.baseUrl, p.track)}</div>${
        p.openPixel
          ? h`<img src="${p.openPixel}" alt="" width="1" height="1" style="display:block;width:1px;height:1px;border:0">`
          : ""
      }`,
      footer: listFooter(p.siteTitle, slot),
    }),
    text: `${p.title}\n${"=".repeat(Math.min(p.title.length, 72))}\n\n${p.summary ? `${p.summary}\n\n` : ""}${bodyText}\n\nRead it on the site: ${url}\n\n${listFooterText(p.siteTitle, slot)}`,
  }));
}
