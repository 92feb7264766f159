/**
 * A report (`Flag`) from another server about something of ours: the owner gets an email with
 * who reported what and why. Reports name objects by id; the email names our posts by title.
 */
import type { InboxContext } from "@fedify/fedify";
import type { Flag } from "@fedify/vocab";
import { ownerEmail } from "../auth/index.ts";
import { getSiteSettings } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import { emailLayout, emailLink, type MailContent, queueTransactional, smallPrint } from "../mail/index.ts";
import { postOfObject } from "./posts.ts";

/** The owner's email about a report. Pure. */
export function reportEmail(r: {
  siteTitle: string;
  from: string;
  reason: string;
  objects: { label: string; url: string }[];
  adminUrl: string;
}): MailContent {
  const subject = `A report about ${r.siteTitle} from ${r.from}`;
  const reason = r.reason || "(no reason given)";
  return {
    subject,
    html: emailLayout({
      title: subject,
      fontSize: 16,
      body: h`<p style="margin:0 0 16px">${r.from} reported ${r.objects.length ? "this:" : "your account."}</p>
${r.objects.length ? h`<ul>${r.objects.map((o) => h`<li style="margin:0 0 8px">${emailLink(o.url, o.label)}</li>`)}</ul>` : ""}
<p style="margin:0 0 16px">Their reason: ${reason}</p>
<p>${emailLink(r.adminUrl, "Your fediverse settings and blocks")}</p>`,
      footer: smallPrint(
        "Reports come from the moderators of other fediverse servers. Nothing was changed on your site.",
      ),
    }),
    text: `${r.from} reported ${r.objects.length ? "this:" : "your account."}\n${r.objects.map((o) => `- ${o.label}: ${o.url}\n`).join("")}\nTheir reason: ${reason}\n\nYour fediverse settings and blocks: ${r.adminUrl}\n`,
  };
}

/** Tell the owner about a report. */
export async function reportReceived(ctx: InboxContext<AppContext>, flag: Flag): Promise<void> {
  const app = ctx.data;
  const to = await ownerEmail(app);
  if (!to || !flag.actorId) return;
  const objects = [];
  for (const id of flag.objectIds.slice(0, 20)) {
    const post = await postOfObject(app, id.href);
    objects.push({ label: post ? post.title : id.href, url: id.href });
  }
  const site = await getSiteSettings(app);
  const content = flag.content
    ? String(flag.content)
        .replace(/<[^>]*>/g, " ")
        .slice(0, 2000)
        .trim()
    : "";
  await queueTransactional(app, {
    to,
    ...reportEmail({
      siteTitle: site.title,
      from: new URL(flag.actorId.href).hostname,
      reason: content,
      objects,
      adminUrl: `${app.config.baseUrl}/admin/fediverse`,
    }),
  });
}
