/**
 * The digest schedule as jobs. `digest.prepare` runs `prepareHours` before each scheduled time:
 * it drafts the digest (skipped when there is nothing to send), emails the owner a link to review
 * it, and, with auto-send on, queues `digest.send` for the scheduled time; then it queues itself
 * for the next week. `digest.send` sends the draft unless the owner held it, sent it already or
 * emptied it. Times are computed in the owner's zone, so DST changes keep the wall-clock time.
 */

import { z } from "zod";
import { ownerEmail } from "../auth/index.ts";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { queueTransactional } from "../mail/index.ts";
import { draftDigest } from "./compose.ts";
import { sendDigest } from "./publish.ts";
import { reviewEmail } from "./render.ts";
import { getSchedule, nextOccurrence } from "./schedule.ts";
import { loadDigest } from "./service.ts";
import { digestStore } from "./store.ts";

/** Prepare the next digest (one queued at a time: unique key `digest.prepare`). */
export const PREPARE_JOB = jobKind("digest.prepare", z.object({ sendAt: z.iso.datetime() }));
/** Send a scheduled digest at its time (unique key `digest.send.<id>`). */
export const SEND_JOB = jobKind("digest.send", z.object({ id: z.number().int().positive() }));

/** Queue the next prepare job for the saved schedule (or cancel it when off). Idempotent. */
export async function scheduleNextDigest(ctx: AppContext, after: Date = ctx.now()): Promise<Date | null> {
  const s = await getSchedule(ctx);
  if (!s.enabled) {
    await ctx.jobs.cancel(PREPARE_JOB.name);
    return null;
  }
  const sendAt = nextOccurrence(after, s, await getTimeZone(ctx));
  const prepareAt = new Date(Math.max(ctx.now().getTime(), sendAt.getTime() - s.prepareHours * 3600_000));
  await ctx.jobs.enqueue(
    PREPARE_JOB,
    { sendAt: sendAt.toISOString() },
    { uniqueKey: PREPARE_JOB.name, runAt: prepareAt },
  );
  return sendAt;
}

async function prepare(ctx: AppContext, sendAt: Date): Promise<void> {
  const s = await getSchedule(ctx);
  if (!s.enabled) return;
  const { id, entries } = await draftDigest(ctx, {
    until: sendAt,
    sendAt: s.autoSend ? sendAt : undefined,
    allowEmpty: true,
  });
  const store = digestStore(ctx.db);
  if (entries === 0) {
    // Nothing saved this week: no draft to review and nothing sent.
    await store.deleteDigest(id);
    ctx.log.info("digest skipped: nothing saved in the period", { sendAt: sendAt.toISOString() });
    return;
  }
  const owner = await ownerEmail(ctx);
  const link = `${ctx.config.baseUrl}/admin/digests/${id}`;
  if (owner) {
    const when = sendAt.toISOString().slice(0, 16).replace("T", " ");
    const plan = s.autoSend
      ? `It goes out by itself at ${when} UTC unless you hold it.`
      : "It waits for you to send it.";
    await queueTransactional(ctx, { to: owner, ...reviewEmail(entries, link, plan) });
  }
  if (s.autoSend) await ctx.jobs.enqueue(SEND_JOB, { id }, { uniqueKey: `${SEND_JOB.name}.${id}`, runAt: sendAt });
}

async function send(ctx: AppContext, id: number): Promise<void> {
  const store = digestStore(ctx.db);
  const d = await store.byId(id);
  if (d?.status !== "draft" || d.held || !d.send_at) return;
  const { view } = await loadDigest(ctx, id);
  if (view.sections.every((sec) => sec.entries.length === 0)) {
    ctx.log.info("digest skipped: the draft is empty", { id });
    return;
  }
  const s = await getSchedule(ctx);
  await sendDigest(ctx, id, s.lists);
}

/** Register the digest jobs and make sure the next prepare job is queued. */
export async function registerDigestJobs(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(PREPARE_JOB, async (payload, job) => {
      const sendAt = new Date(payload.sendAt);
      await ctx.jobs.releaseKey(job.id);
      try {
        await prepare(ctx, sendAt);
      } finally {
        await scheduleNextDigest(ctx, sendAt);
      }
    }),
  );
  ctx.runner.register(handle(SEND_JOB, async (payload) => send(ctx, payload.id)));
  if (!(await ctx.jobs.hasKey(PREPARE_JOB.name))) await scheduleNextDigest(ctx);
}
