/**
 * The daily work: each finished day's raw views rolled up into counts by page, source, device,
 * marker and entry page (kept forever), and raw views older than the retention (90 days unless the
 * owner says otherwise) deleted. One chain, run a few minutes after midnight UTC, and at start.
 */
import { z } from "zod";
import { postAtPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { insightStore } from "./store.ts";

export const ROLLUP_JOB = jobKind("insights.rollup", z.object({}));
/** Raw views are kept this many days unless the owner chose otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The owner's retention, in days. */
export async function retentionDays(ctx: AppContext): Promise<number> {
  const n = Number(await insightStore(ctx.db).setting("retention_days"));
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_RETENTION_DAYS;
}

/** Roll up every finished day not rolled up yet, then apply the retention; what was done. */
export async function rollUp(ctx: AppContext): Promise<{ days: string[]; deleted: number }> {
  const store = insightStore(ctx.db);
  const today = dayOf(ctx.now());
  // Yesterday again too: the figures shown during the day rolled it up while it was not over.
  const yesterday = dayOf(new Date(ctx.now().getTime() - 86_400_000));
  const days = [...new Set([...(await store.daysToRoll(today)), yesterday])].sort();
  for (const day of days) await store.rollDay(day);
  const keepFrom = dayOf(new Date(ctx.now().getTime() - (await retentionDays(ctx)) * 86_400_000));
  const deleted = await store.dropViewsBefore(keepFrom);
  return { days, deleted };
}

/** Register the chain and queue its next run. */
export async function registerRollup(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(ROLLUP_JOB, async (_p, job) => {
      await ctx.jobs.releaseKey(job.id);
      await rollUp(ctx);
      await scheduleRollup(ctx);
    }),
  );
  ctx.runner.register(
    handle(TODAY_JOB, async (_p, job) => {
      await ctx.jobs.releaseKey(job.id);
      await rollToday(ctx);
      await ctx.jobs.enqueue(
        TODAY_JOB,
        {},
        {
          uniqueKey: "insights:today",
          runAt: new Date(ctx.now().getTime() + TODAY_EVERY_MS),
        },
      );
    }),
  );
  await ctx.jobs.enqueue(
    TODAY_JOB,
    {},
    {
      uniqueKey: "insights:today",
      runAt: new Date(ctx.now().getTime() + TODAY_EVERY_MS),
      keepEarlier: true,
    },
  );
  // Days left over (the site was down at midnight): at once; else after the coming midnight.
  const behind = (await insightStore(ctx.db).daysToRoll(dayOf(ctx.now()))).length > 0;
  if (behind) await ctx.jobs.enqueue(ROLLUP_JOB, {}, { uniqueKey: "insights:rollup", keepEarlier: true });
  else await scheduleRollup(ctx, true);
}

async function scheduleRollup(ctx: AppContext, keepEarlier = false): Promise<void> {
  const now = ctx.now();
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 0, 10));
  await ctx.jobs.enqueue(ROLLUP_JOB, {}, { uniqueKey: "insights:rollup", runAt: next, keepEarlier });
}

/** Today's figures are rolled up this often by a job, for the dashboard (which never waits for it). */
export const TODAY_EVERY_MS = 10 * 60_000;
export const TODAY_JOB = jobKind("insights.today", z.object({}));

/** Today's figures so far, rolled up now (what is shown during the day; redone after midnight). */
export async function rollToday(ctx: AppContext): Promise<void> {
  await insightStore(ctx.db).rollDay(dayOf(ctx.now()));
  await linkForwards(ctx);
}

/**
 * Forwards of the last two days linked to the post they arrived at (recorded by the counting
 * thread, which knows only the path): so they count as the post's in the CLI and the lists.
 */
export async function linkForwards(ctx: AppContext): Promise<void> {
  const store = insightStore(ctx.db);
  const since = new Date(ctx.now().getTime() - 2 * 86_400_000).toISOString();
  for (const f of await store.unlinkedForwards(since)) {
    const post = await postAtPath(ctx, f.entry_path);
    if (post) await store.linkPost(f.id, post.id);
  }
}
