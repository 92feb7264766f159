/**
 * Sending a digest: through the delivery engine to lists (exactly once per recipient, with the
 * unsubscribe headers), and as a page. A digest sent to any private list is private: its page is
 * readable only with its secret link or signed in, and it never becomes a post (so it is in no
 * feed, sitemap or search). Otherwise it becomes a published post of kind "digest". Links in the
 * email go through signed redirects that count clicks per entry.
 */

import { type ListRow, listRecipients, perSubscriberClicks, requireLists } from "../audience/index.ts";
import {
  contentChanged,
  getSiteSettings,
  postById,
  postPath,
  savePost,
  setDigestPageHtml,
  systemActor,
} from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { transaction } from "../lib/db/transaction.ts";
import { ValidationError } from "../lib/errors.ts";
import { signToken } from "../lib/tokens.ts";
import { createSend, ensureDeliveryJob } from "../mail/index.ts";
import { type DigestView, digestBodyHtml, digestEmail, digestMarkdown } from "./render.ts";
import { loadDigest } from "./service.ts";
import { type DigestRow, digestStore } from "./store.ts";
import { subscriberRef } from "./tracking.ts";

/** The signed redirect for an entry's link in an email. */
export function clickUrl(ctx: AppContext, entryId: number): string {
  return `${ctx.config.baseUrl}/d/${signToken(ctx.secret, "digest-click", String(entryId))}`;
}

/** The page of a digest: the post once public, else the secret link. */
export async function digestUrl(ctx: AppContext, d: DigestRow): Promise<string> {
  if (d.post_id) {
    const post = await postById(ctx, d.post_id);
    if (post) return `${ctx.config.baseUrl}${postPath(post)}`;
  }
  return `${ctx.config.baseUrl}/digests/${d.id}/${d.secret}`;
}

const entryCount = (v: DigestView) => v.sections.reduce((n, s) => n + s.entries.length, 0);

/** The email of a digest, with tracked links (or the entries' own links, for tests to oneself). */
export async function digestMessage(
  ctx: AppContext,
  d: DigestRow,
  view: DigestView,
  opts: { webUrl?: string; tracked?: boolean; perSubscriber?: boolean } = {},
) {
  const settings = await getSiteSettings(ctx);
  return digestEmail(view, {
    siteTitle: settings.title,
    webUrl: opts.webUrl ?? (await digestUrl(ctx, d)),
    link: (e, slot) =>
      opts.tracked === false ? e.url : `${clickUrl(ctx, e.id)}${opts.perSubscriber ? `?s=${slot("click_ref")}` : ""}`,
  });
}

/** How a send is queued: the mail module's `createSend`; tests pass one that fails. */
export type QueueSend = typeof createSend;

/**
 * Send a draft to lists and publish its page; returns the send id and its size. One transaction
 * claims the draft, makes the post and queues the send: if any of it fails, there is no post, no
 * send, and the digest is still a draft that can be sent again.
 */
export async function sendDigest(
  ctx: AppContext,
  id: number,
  listSlugs: string[],
  createdBy?: number,
  queueSend: QueueSend = createSend,
): Promise<{ sendId: number; recipients: number; url: string }> {
  // Checked before the transaction too, so a digest that cannot go out fails fast with its reason.
  const { digest, view } = await loadDigest(ctx, id);
  if (digest.status !== "draft") throw new ValidationError("This digest has already been sent.");
  if (entryCount(view) === 0) throw new ValidationError("This digest has no entries; add some before sending it.");
  const lists = await requireLists(ctx, listSlugs);
  const sent = await transaction(ctx, async (tx) => {
    // Claimed in the transaction, so two clicks on "Send" (or the schedule and the owner) send it
    // once: the second waits for the first and finds it sent.
    if (!(await digestStore(tx.db).claimDraft(id, tx.now().toISOString())))
      throw new ValidationError("This digest has already been sent.");
    // Read again now that it is ours: an edit saved since the checks above is what goes out.
    const claimed = await loadDigest(tx, id);
    if (entryCount(claimed.view) === 0)
      throw new ValidationError("This digest has no entries; add some before sending it.");
    return publishClaimed(tx, claimed.digest, claimed.view, lists, createdBy, queueSend);
  });
  // Again after the commit: a page cached while the transaction ran is stale, and a delivery job
  // that looked at the outbox before the commit saw none of this send.
  if (!lists.some((l) => !l.is_public)) await contentChanged(ctx);
  await ensureDeliveryJob(ctx);
  return sent;
}

/** The claimed draft's post, send and record; `ctx` is the transaction's (on SQLite, nothing else may be used). */
async function publishClaimed(
  ctx: AppContext,
  digest: DigestRow,
  view: DigestView,
  lists: ListRow[],
  createdBy: number | undefined,
  queueSend: QueueSend,
): Promise<{ sendId: number; recipients: number; url: string }> {
  const id = digest.id;
  const store = digestStore(ctx.db);
  const isPrivate = lists.some((l) => !l.is_public);
  let postId: number | null = null;
  if (!isPrivate) {
    const themeIds = [
      ...new Set(
        (await store.sections(id)).flatMap((s) =>
          s.theme_id && view.sections.find((v) => v.id === s.id)?.entries.length ? [s.theme_id] : [],
        ),
      ),
    ];
    const post = await savePost(ctx, systemActor, {
      kind: "digest",
      title: digest.title,
      // The intro opens the page body already; a summary would show it twice.
      summary: "",
      body: digestMarkdown(view),
      status: "published",
      themeIds,
    });
    // The page shows the digest's own markup (h-cite entries), not the Markdown export's.
    await setDigestPageHtml(ctx, post.id, digestBodyHtml(view));
    postId = post.id;
  }
  await store.purgeRemoved(id);
  const sent = { ...digest, post_id: postId, is_private: isPrivate ? 1 : 0 };
  const url = await digestUrl(ctx, sent);
  const perSubscriber = await perSubscriberClicks(ctx);
  const message = await digestMessage(ctx, sent, view, { webUrl: url, perSubscriber });
  const recipients = (
    await listRecipients(
      ctx,
      lists.map((l) => l.id),
    )
  ).map((r) =>
    perSubscriber && r.subscriberId ? { ...r, vars: { ...r.vars, click_ref: subscriberRef(ctx, r.subscriberId) } } : r,
  );
  const sendId = await queueSend(
    ctx,
    { kind: "digest", ...message, listIds: lists.map((l) => l.id), createdBy, postId: postId ?? undefined },
    recipients,
  );
  await store.update(id, {
    post_id: postId,
    is_private: isPrivate ? 1 : 0,
    send_id: sendId,
    list_ids: JSON.stringify(lists.map((l) => l.id)),
    send_at: null,
    updated_at: ctx.now().toISOString(),
  });
  return { sendId, recipients: recipients.length, url };
}

/** "Send a test to me": the draft's email to one address, "[Test]" in the subject. */
export async function sendDigestTest(
  ctx: AppContext,
  id: number,
  to: { email: string; name: string; userId?: number },
) {
  const { digest, view } = await loadDigest(ctx, id);
  // A test's unsubscribe and preferences links lead to a page that says it was a test.
  const back = `${ctx.config.baseUrl}/unsubscribe/test-message`;
  // Untracked: the owner's own clicks on a test are not readers' clicks.
  const message = await digestMessage(ctx, digest, view, { tracked: false });
  return createSend(ctx, { kind: "test", ...message, subject: `[Test] ${message.subject}`, createdBy: to.userId }, [
    { email: to.email, vars: { unsubscribe_url: back, preferences_url: back, name: to.name } },
  ]);
}
