/**
 * The job kinds of sending Webmentions: one per post change (which targets to tell, decided when
 * it runs, from the post as it is then), and one per target, so the runner's retry with backoff
 * applies to each target on its own and one slow or failing site delays no other.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AppContext } from "../../lib/context.ts";
import { jobKind } from "../../lib/jobs/kinds.ts";
import type { Send } from "./send.ts";

/**
 * Work out a post's Webmentions: `url` is its URL when the change was made (its old one when
 * removed); `targets`, on removal, the pages it linked then (a post published before Webmentions
 * were sent has no rows to find them in).
 */
export const webmentionPostJob = jobKind(
  "conversation.webmention-post",
  z.object({
    postId: z.number().int(),
    url: z.string(),
    removed: z.boolean(),
    targets: z.array(z.string()).optional(),
  }),
);

/** Send one Webmention. */
export const webmentionSendJob = jobKind(
  "conversation.webmention-send",
  z.object({ postId: z.number().int(), source: z.string(), target: z.string() }),
  { parallel: true },
);

/** Tries of one Webmention: with the runner's backoff (10 s, doubling) about five minutes in all. */
export const SEND_ATTEMPTS = 6;

/** Queue the working-out of a post's Webmentions (one pending job per post: a newer change replaces it). */
export async function queuePostSends(
  ctx: AppContext,
  postId: number,
  url: string,
  removed: boolean,
  targets?: string[],
): Promise<void> {
  await ctx.jobs.enqueue(
    webmentionPostJob,
    { postId, url, removed, targets },
    { uniqueKey: `webmention-post:${postId}` },
  );
}

/** Queue one Webmention (one pending job per post and target), now or at `runAt`. */
export async function queueSend(ctx: AppContext, s: Send, runAt?: Date): Promise<void> {
  const key = createHash("sha256").update(s.target).digest("hex").slice(0, 24);
  await ctx.jobs.enqueue(
    webmentionSendJob,
    { postId: s.postId, source: s.source, target: s.target },
    { uniqueKey: `webmention-send:${s.postId}:${key}`, maxAttempts: SEND_ATTEMPTS, runAt },
  );
}
