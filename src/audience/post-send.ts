/** Email a published post to lists: one send through the outbox, to each list's confirmed subscribers. */

import { coverImageOf, getSiteSettings, type PostRow, postBySlug, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { createSend } from "../mail/index.ts";
import { createCountedSend } from "./post-clicks.ts";
import { type PostEmailInput, postEmail } from "./post-email.ts";
import { listRecipients, requireLists } from "./service.ts";

/**
 * Queue the new-post email of `postSlug` to the lists `listSlugs`; returns the send id and its
 * size. Clicks are counted per link; opens only with `countOpens` (off by default: no pixel).
 */
export async function sendPost(
  ctx: AppContext,
  postSlug: string,
  listSlugs: string[],
  createdBy?: number,
  opts: { countOpens?: boolean } = {},
): Promise<{ sendId: number; recipients: number }> {
  const post = await postBySlug(ctx, postSlug);
  if (!post) throw new ValidationError(`There is no post “${postSlug}”.`, { field: "post" });
  if (post.status !== "published") {
    throw new ValidationError(`“${post.title}” is not published yet; publish it before emailing it.`, {
      field: "post",
    });
  }
  const lists = await requireLists(ctx, listSlugs);
  const recipients = await listRecipients(
    ctx,
    lists.map((l) => l.id),
  );
  // Every web link through the click redirect: clicks are counted per link of this send.
  const sendId = await createCountedSend(
    ctx,
    await postEmailInput(ctx, post),
    { kind: "post", postId: post.id, listIds: lists.map((l) => l.id), createdBy },
    recipients,
    opts,
  );
  return { sendId, recipients: recipients.length };
}

/** What the new-post email of a post is made from: the post, its cover, the site's masthead. */
export async function postEmailInput(ctx: AppContext, post: PostRow): Promise<PostEmailInput> {
  const [settings, cover] = await Promise.all([getSiteSettings(ctx), coverImageOf(ctx, post)]);
  const base = ctx.config.baseUrl;
  return {
    title: post.title,
    summary: post.summary,
    bodyHtml: post.body_html,
    bodyText: post.body_text,
    url: `${base}${postPath(post)}`,
    baseUrl: base,
    siteTitle: settings.title,
    // Hook for a site logo: site settings have none yet, so the masthead shows the name alone.
    logoUrl: undefined,
    cover: cover ? { ...cover, src: new URL(cover.src, base).href } : undefined,
  };
}

/** The new-post email of a post (subject, HTML and text with per-recipient slots), links not counted. */
export async function postEmailFor(ctx: AppContext, post: PostRow) {
  return postEmail(await postEmailInput(ctx, post));
}

/**
 * "Send a test to me": the same email to one address, through the outbox like the real send,
 * with "[Test]" in the subject. Its unsubscribe and preferences links lead back to the admin.
 */
export async function sendPostTest(
  ctx: AppContext,
  post: PostRow,
  to: { email: string; name: string; userId: number },
): Promise<number> {
  const email = await postEmailFor(ctx, post);
  // A test's unsubscribe and preferences links lead to a page that says it was a test.
  const back = `${ctx.config.baseUrl}/unsubscribe/test-message`;
  return createSend(
    ctx,
    { kind: "test", ...email, subject: `[Test] ${email.subject}`, postId: post.id, createdBy: to.userId },
    [{ email: to.email, vars: { unsubscribe_url: back, preferences_url: back, name: to.name } }],
  );
}
