/**
 * The owner's targets for a post, from the editor, and the jobs that send them: a copy row per
 * account made (or changed) on save; when the post is public, each queued copy gets a
 * `syndication.send` job at its own time or now. A job sends once (the copy is taken first); a
 * rate limit or an outage tries again later, with the platform's time when it gave one.
 */
import { z } from "zod";
import { postById } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import type { PostChange } from "../lib/module.ts";
import type { TargetChoice } from "./editor-part.ts";
import { accountStore, type CopyRow, copyStore } from "./store.ts";
import { sendCopyRow } from "./syndicate.ts";

/** Send one copy (unique per copy: a double click queues it once). */
export const SEND_JOB = jobKind("syndication.send", z.object({ copyId: z.number().int() }), { parallel: true });

/** Store the editor's choices; the ticked ones go now if the post is public already. */
export async function saveTargets(ctx: AppContext, postId: number, chosen: TargetChoice[]): Promise<void> {
  const store = copyStore(ctx.db);
  const at = ctx.now().toISOString();
  for (const c of chosen)
    await store.choose(
      {
        post_id: postId,
        account_id: c.accountId,
        status: c.on ? "queued" : "off",
        text: c.text,
        send_at: c.sendAt,
        content_warning: c.contentWarning,
        as_thread: c.asThread ? 1 : 0,
      },
      at,
    );
  await queueWaiting(ctx, postId);
}

/** Queue a job for each copy of a public post that waits to go (at its own time, if it has one). */
export async function queueWaiting(ctx: AppContext, postId: number): Promise<number> {
  const post = await postById(ctx, postId);
  if (!post || post.status !== "published" || !post.published_at || post.published_at > ctx.now().toISOString())
    return 0;
  const waiting = await copyStore(ctx.db).waiting(postId);
  for (const c of waiting)
    await ctx.jobs.enqueue(
      SEND_JOB,
      { copyId: c.id },
      { uniqueKey: `synd:${c.id}`, runAt: c.send_at ? new Date(c.send_at) : undefined },
    );
  return waiting.length;
}

/** A post went public (or changed while public): its waiting copies go. */
export async function onPostChanged(ctx: AppContext, change: PostChange): Promise<void> {
  if (change.change !== "removed") await queueWaiting(ctx, change.postId);
}

/** "Retry now": a failed copy queued again at once. */
export async function retryCopy(ctx: AppContext, copyId: number): Promise<boolean> {
  const copy = await copyStore(ctx.db).byId(copyId);
  if (!copy || (copy.status !== "failed" && copy.status !== "queued")) return false;
  await ctx.jobs.enqueue(SEND_JOB, { copyId }, { uniqueKey: `synd:${copyId}` });
  return true;
}

/** A send cut off this long ago (its process died mid-send) is looked at again. */
export const STUCK_MS = 10 * 60_000;

/**
 * A copy left "sending" (the process sending it died; its job came back when its lease ran out).
 * Until STUCK_MS have passed it may still be going: look again then. After, Bluesky and Mastodon
 * copies go again, safely (the record key, the Idempotency-Key find what went); a LinkedIn copy
 * may have gone without a trace here, so it waits for the owner, with what to check.
 */
async function unstuck(ctx: AppContext, copy: CopyRow, platform: string): Promise<CopyRow | undefined> {
  const since = Date.parse(copy.updated_at);
  const now = ctx.now();
  if (now.getTime() - since < STUCK_MS) {
    const runAt = new Date(since + STUCK_MS);
    await ctx.jobs.enqueue(SEND_JOB, { copyId: copy.id }, { uniqueKey: `synd:${copy.id}`, runAt });
    return undefined;
  }
  const again = platform === "bluesky" || platform === "mastodon";
  const note = again
    ? "The send was cut off; sending again (what went before is found, not posted twice)."
    : "The send was cut off: LinkedIn may have the post already. Look at your LinkedIn feed; if it is not there, Retry now.";
  const cutoff = new Date(now.getTime() - STUCK_MS).toISOString();
  if (!(await copyStore(ctx.db).unstick(copy.id, cutoff, note, now.toISOString())) || !again) return undefined;
  return copyStore(ctx.db).byId(copy.id);
}

/** Register the send job's handler and the backfeed's chains. */
export async function registerSyndicationJobs(ctx: AppContext): Promise<void> {
  await (await import("./backfeed.ts")).registerBackfeed(ctx);
  ctx.runner.register(
    handle(SEND_JOB, async ({ copyId }, job) => {
      await ctx.jobs.releaseKey(job.id);
      let copy = await copyStore(ctx.db).byId(copyId);
      if (!copy || !["queued", "failed", "sending"].includes(copy.status)) return;
      const [post, account] = await Promise.all([
        postById(ctx, copy.post_id),
        accountStore(ctx.db).byId(copy.account_id),
      ]);
      if (!post || !account || post.status !== "published") return;
      if (copy.status === "sending") {
        copy = await unstuck(ctx, copy, account.platform);
        if (!copy) return;
      }
      const r = await sendCopyRow(ctx, post, account, copy);
      // A refusal the owner must fix (a revoked token, a text too long) waits for them ("retry now").
      if (r.error && r.transient) {
        const later = r.retryAt && r.retryAt > ctx.now() ? r.retryAt : undefined;
        if (later) await ctx.jobs.enqueue(SEND_JOB, { copyId }, { uniqueKey: `synd:${copyId}`, runAt: later });
        else throw new Error(r.error);
      }
    }),
  );
}
