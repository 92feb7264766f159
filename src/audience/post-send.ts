/** Email a published post to lists: one send through the outbox, to each list's confirmed subscribers. */

import { getSiteSettings, type PostRow, postBySlug, postPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { createSend } from "../mail/index.ts";
import { postEmail } from "./post-email.ts";
import { listRecipients, requireLists } from "./service.ts";

/** Queue the new-post email of `postSlug` to the lists `listSlugs`; returns the send id and its size. */
export async function sendPost(
  ctx: AppContext,
  postSlug: string,
  listSlugs: string[],
  createdBy?: number,
): Promise<{ sendId: number; recipients: number }> {
  const post = await postBySlug(ctx, postSlug);
  if (!post) throw new ValidationError(`There is no post “${postSlug}”.`, { field: "post" });
  if (post.status !== "published") {
    throw new ValidationError(`“${post.title}” is not published yet; publish it before emailing it.`, {
      field: "post",
    });
  }
  const lists = await requireLists(ctx, listSlugs);
  const email = await postEmailFor(ctx, post);
  const recipients = await listRecipients(
    ctx,
    lists.map((l) => l.id),
  );
  const sendId = await createSend(
    ctx,
    { kind: "post", ...email, postId: post.id, listIds: lists.map((l) => l.id), createdBy },
    recipients,
  );
  return { sendId, recipients: recipients.length };
}

/** The new-post email of a post (subject, HTML and text with per-recipient slots). */
export async function postEmailFor(ctx: AppContext, post: PostRow) {
  const settings = await getSiteSettings(ctx);
  return postEmail({
    title: post.title,
    summary: post.summary,
    bodyHtml: post.body_html,
    bodyText: post.body_text,
    url: `${ctx.config.baseUrl}${postPath(post)}`,
    baseUrl: ctx.config.baseUrl,
    siteTitle: settings.title,
  });
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
