/** The password reset email (pure): one recipient, rendered at once in the shared email layout. */
import { h } from "../lib/html.ts";
import { emailLayout, emailLink, type MailContent, smallPrint } from "../mail/index.ts";

/** "Reset your password on notes.example": the one-time `link`, valid for `hours`. */
export function resetEmail(link: string, baseUrl: string, hours: number): MailContent {
  // The host, not the site's title: the title is content's, which auth cannot import (content
  // imports auth), and the mail layout has no site name of its own.
  const site = new URL(baseUrl).host;
  const subject = `Reset your password on ${site}`;
  const valid = `The link works once, for ${hours} hour${hours === 1 ? "" : "s"}.`;
  const ignore = "If you didn't ask for this, ignore this message: your password stays as it is.";
  return {
    subject,
    text: `Someone (hopefully you) asked to reset the password of your account on ${site}.\n\nSet a new password: ${link}\n\n${valid} ${ignore}\n`,
    html: emailLayout({
      title: subject,
      body: h`<p>Someone (hopefully you) asked to reset the password of your account on ${site}.</p>
<p>${emailLink(link, "Set a new password")}</p>
<p>${valid}</p>
${smallPrint(ignore)}`,
    }),
  };
}
