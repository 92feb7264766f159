/**
 * Queuing the conversation's emails: a held commenter's confirmation link, reply notifications,
 * and the owner's batch of held items (one message per batch, at most once an hour: a job with a
 * unique key, due an hour after the last message at the earliest).
 */

import { z } from "zod";
import { ownerEmail } from "../../auth/index.ts";
import { getSiteSettings, postById, postPath } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { jobKind } from "../../lib/jobs/kinds.ts";
import { queueTransactional } from "../../mail/index.ts";
import { type ItemRow, itemStore, settingsStore } from "../store.ts";
import { confirmEmail, ownerBatchEmail, replyEmail } from "./emails.ts";
import { commentToken } from "./tokens.ts";

/** The owner's batch notification (unique key `conversation:notify`). */
export const notifyOwnerJob = jobKind("conversation.notify-owner", z.object({}));

const HOUR = 3600_000;
/** A short wait gathers a burst of comments into one message. */
const GATHER_MS = 2 * 60_000;

/** Make sure the owner's next batch message is scheduled. */
export async function scheduleOwnerNotice(ctx: AppContext): Promise<void> {
  const { notifiedAt } = await settingsStore(ctx.db).site();
  const now = ctx.now().getTime();
  const earliest = notifiedAt ? Date.parse(notifiedAt) + HOUR : 0;
  await ctx.jobs.enqueue(
    notifyOwnerJob,
    {},
    {
      uniqueKey: "conversation:notify",
      runAt: new Date(Math.max(now + GATHER_MS, earliest)),
      // A steady trickle of comments must not push the message back for ever.
      keepEarlier: true,
    },
  );
}

/** Job: email the owner what has been held since the last message; nothing when nothing waits. */
export async function notifyOwner(ctx: AppContext): Promise<number> {
  const settings = settingsStore(ctx.db);
  const { notifiedAt } = await settings.site();
  const items = await itemStore(ctx.db).pendingSince(notifiedAt ?? "");
  const to = await ownerEmail(ctx);
  if (!items.length || !to) return 0;
  const site = await getSiteSettings(ctx);
  const waiting = (await itemStore(ctx.db).countByStatus()).pending;
  const mail = ownerBatchEmail({
    siteTitle: site.title,
    waiting,
    inboxUrl: `${ctx.config.baseUrl}/admin/conversations?status=pending`,
    items: items.map((i) => ({ author: i.author_name, postTitle: i.post_title, kind: i.kind, text: i.text })),
  });
  await queueTransactional(ctx, { to, ...mail });
  await settings.setNotifiedAt(ctx.now().toISOString());
  return items.length;
}

/** Ask a held commenter to confirm their address. */
export async function queueConfirmEmail(ctx: AppContext, item: ItemRow): Promise<void> {
  const [post, site] = await Promise.all([postById(ctx, item.post_id), getSiteSettings(ctx)]);
  if (!post) return;
  const confirmUrl = `${ctx.config.baseUrl}/comments/confirm/${commentToken(ctx, "comment-confirm", item.id)}`;
  await queueTransactional(ctx, {
    to: item.author_email,
    ...confirmEmail({ siteTitle: site.title, postTitle: post.title, confirmUrl }),
    expiresAt: new Date(ctx.now().getTime() + 7 * 86_400_000),
  });
}

/** Tell the author of the comment `reply` answers, if they asked to be told. */
export async function queueReplyNotice(ctx: AppContext, reply: ItemRow): Promise<void> {
  if (!reply.parent_id) return;
  const parent = await itemStore(ctx.db).byId(reply.parent_id);
  if (!parent?.notify_replies || !parent.author_email || parent.author_email === reply.author_email) return;
  const [post, site] = await Promise.all([postById(ctx, reply.post_id), getSiteSettings(ctx)]);
  if (!post) return;
  await queueTransactional(ctx, {
    to: parent.author_email,
    ...replyEmail({
      siteTitle: site.title,
      postTitle: post.title,
      replier: reply.author_name,
      text: reply.text,
      commentUrl: `${ctx.config.baseUrl}${postPath(post)}#comment-${reply.id}`,
      unsubscribeUrl: `${ctx.config.baseUrl}/comments/unsubscribe/${commentToken(ctx, "comment-unsubscribe", parent.id)}`,
    }),
  });
}
