/**
 * The double opt-in emails (pure): the confirmation a visitor asked for on a signup form, and
 * the one sent when the owner adds an address without confirming it. One recipient each, so
 * everything is rendered at once, in the shared email layout.
 */
import { h } from "../lib/html.ts";
import { emailLayout, emailLink, type MailContent } from "../mail/index.ts";

/**
 * "Confirm your subscription to New articles from <site>": `lists` as the form showed them,
 * with their promises; `names` just their names, for the subject. The subject names the site,
 * since the visitor may have signed up to several and the sender's name is not always shown.
 */
export function confirmationEmail(
  email: string,
  lists: string,
  link: string,
  site: { names: string; siteTitle: string },
): MailContent {
  const subject = `Confirm your subscription to ${site.names} from ${site.siteTitle}`;
  return {
    subject,
    text: `Someone (hopefully you) asked to subscribe ${email} to: ${lists}.\n\nConfirm: ${link}\n\nIf it wasn't you, ignore this message: nothing will be sent. The link works for 7 days.\n`,
    html: emailLayout({
      title: subject,
      body: h`<p>Someone (hopefully you) asked to subscribe <strong>${email}</strong> to: ${lists}.</p>
<p>${emailLink(link, "Confirm my subscription")}</p>
<p>If it wasn't you, ignore this message: nothing will be sent. The link works for 7 days.</p>`,
    }),
  };
}

/** "A", "A and B", "A, B and C": list names in a sentence. Pure. */
export function andList(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** "You were added to a list": the owner added the address; it gets mail once confirmed. */
export function addedEmail(listName: string, link: string, siteTitle: string): MailContent {
  const subject = `Confirm your subscription to ${listName} from ${siteTitle}`;
  return {
    subject,
    text: `You were added to ${listName}. Confirm that you want it: ${link}\n`,
    html: emailLayout({
      title: subject,
      body: h`<p>You were added to ${listName}. ${emailLink(link, "Confirm that you want it")}.</p>`,
    }),
  };
}
