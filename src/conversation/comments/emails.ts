/**
 * The conversation's emails (pure): a held commenter's "confirm your address", a commenter's
 * "someone replied to you", and the owner's batch of held items. Everything people typed goes in
 * through the escaping template.
 */
import { h } from "../../lib/html.ts";
import { emailLayout, emailLink, type MailContent, smallPrint } from "../../mail/index.ts";

const para = (s: string) => h`<p style="margin:0 0 12px">${s}</p>`;

/** "Confirm your address" for a held comment. */
export function confirmEmail(o: { siteTitle: string; postTitle: string; confirmUrl: string }): MailContent {
  const subject = `Confirm your comment on ${o.siteTitle}`;
  const intro = `Thank you for your comment on "${o.postTitle}". It is waiting for the author to read it. Confirming your address moves it to the front of the queue (it does not publish it).`;
  return {
    subject,
    html: emailLayout({
      title: subject,
      body: h`${para(intro)}<p>${emailLink(o.confirmUrl, "Confirm my address")}</p>`,
      footer: smallPrint("If you did not write a comment, ignore this email: nothing else will be sent."),
    }),
    text: `${intro}\n\nConfirm my address: ${o.confirmUrl}\n\nIf you did not write a comment, ignore this email.\n`,
  };
}

/** "Someone replied to your comment", with one-click unsubscribe. */
export function replyEmail(o: {
  siteTitle: string;
  postTitle: string;
  replier: string;
  text: string;
  commentUrl: string;
  unsubscribeUrl: string;
}): MailContent {
  const subject = `${o.replier} replied to your comment on ${o.siteTitle}`;
  return {
    subject,
    html: emailLayout({
      title: subject,
      body: h`${para(`${o.replier} replied to your comment on "${o.postTitle}":`)}
<blockquote style="margin:0 0 12px;padding-left:12px;border-left:3px solid #cccccc">${o.text}</blockquote>
<p>${emailLink(o.commentUrl, "Read the conversation")}</p>`,
      footer: smallPrint(h`You asked to be told of replies. ${emailLink(o.unsubscribeUrl, "Stop these emails")}`),
    }),
    text: `${o.replier} replied to your comment on "${o.postTitle}":\n\n${o.text}\n\nRead the conversation: ${o.commentUrl}\n\n--\nStop these emails: ${o.unsubscribeUrl}\n`,
  };
}

/** The owner's batch: what is waiting for moderation. */
export function ownerBatchEmail(o: {
  siteTitle: string;
  inboxUrl: string;
  /** Everything held now, these and earlier ones. */
  waiting: number;
  items: { author: string; postTitle: string; kind: string; text: string }[];
}): MailContent {
  const n = o.items.length;
  const earlier = o.waiting - n;
  const also = earlier > 0 ? ` ${earlier} earlier ${earlier === 1 ? "item is" : "items are"} waiting too.` : "";
  const subject = `${n} new ${n === 1 ? "item" : "items"} to moderate on ${o.siteTitle}`;
  const lines = o.items.map((i) => `${i.author} (${i.kind}) on "${i.postTitle}": ${i.text.slice(0, 200)}`);
  return {
    subject,
    html: emailLayout({
      title: subject,
      fontSize: 16,
      body: h`${para(`${n === 1 ? "Someone" : `${n} people`} said something about your posts, held until you approve:`)}
<ul>${lines.map((l) => h`<li style="margin:0 0 8px">${l}</li>`)}</ul>
${also ? para(also.trim()) : ""}
<p>${emailLink(o.inboxUrl, "Open the conversation inbox")}</p>`,
      footer: smallPrint("You get at most one of these an hour, and only when something is waiting."),
    }),
    text: `Held until you approve:\n\n${lines.map((l) => `- ${l}`).join("\n")}\n${also ? `\n${also.trim()}\n` : ""}\nOpen the conversation inbox: ${o.inboxUrl}\n`,
  };
}
