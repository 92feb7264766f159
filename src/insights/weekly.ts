/**
 * The weekly small-wins email to the owner, Monday morning in their time zone (a setting turns it
 * off): the week's outcomes and what led to them, the post that resonated, the digest links readers
 * clicked most, new followers and subscribers, and one comparison with the weeks before. Small and
 * true: a week with nothing says so.
 */
import { z } from "zod";
import { ownerEmail } from "../auth/index.ts";
import { postAtPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import { handle, jobKind } from "../lib/jobs/kinds.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fromLocalInput, toLocalInput } from "../lib/time.ts";
import { emailLayout, emailLink, type MailContent, queueTransactional, smallPrint } from "../mail/index.ts";
import { contentOf, top } from "./dashboard.ts";
import { OUTCOME_NAMES, outcomeName } from "./kinds.ts";
import { insightStore, type OutcomeListed } from "./store.ts";

export const WEEKLY_JOB = jobKind("insights.weekly", z.object({}));
const WEEK = 7 * 86_400_000;

/** Is the email on? (Default: on.) */
export async function weeklyOn(ctx: AppContext): Promise<boolean> {
  return (await insightStore(ctx.db).setting("weekly_email")) !== "0";
}

/** The email for the week before `now`, from its outcomes and the four weeks before it. Pure but for reads. */
export async function weeklyEmail(ctx: AppContext, now: Date): Promise<MailContent> {
  const store = insightStore(ctx.db);
  const iso = (ms: number) => new Date(ms).toISOString();
  const t = now.getTime();
  const week = await store.outcomesBetween(iso(t - WEEK), iso(t));
  const before = await Promise.all(
    [1, 2, 3, 4].map((w) => store.outcomesBetween(iso(t - (w + 1) * WEEK), iso(t - w * WEEK))),
  );
  const avg = before.reduce((n, w) => n + w.length, 0) / before.length;
  const byKind = new Map<string, OutcomeListed[]>();
  for (const o of week) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), o]);
  const order = Object.keys(OUTCOME_NAMES);
  const kinds = [...byKind.entries()].sort(
    (a, b) => b[1].length - a[1].length || order.indexOf(a[0]) - order.indexOf(b[0]),
  );
  const topOf = (xs: OutcomeListed[], key: (o: OutcomeListed) => string) => top(xs, key, 1)[0];
  const resonated = week.length
    ? topOf(
        week.filter((o) => o.kind !== "click"),
        contentOf,
      )
    : undefined;
  const resonatedTitle = resonated ? (await postAtPath(ctx, resonated[0]))?.title : undefined;
  const clicks = (byKind.get("click") ?? []).map((o) => o.note);
  const topClicks = [...new Set(clicks)]
    .map((u) => [u, clicks.filter((c) => c === u).length] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  const sources = week.length ? topOf(week, (o) => o.source || "direct") : undefined;
  const admin = `${ctx.config.baseUrl}/admin/insights`;
  const comparison =
    avg === 0
      ? week.length
        ? "the first in five weeks"
        : "as in the four weeks before"
      : `the four weeks before averaged ${avg.toFixed(1)}`;
  const subject = week.length
    ? `Small wins: ${week.length} outcome${week.length === 1 ? "" : "s"} this week`
    : "A quiet week: no outcomes";
  const lines: string[] = week.length
    ? [
        `This week the writing led to ${week.length} outcome${week.length === 1 ? "" : "s"} (${comparison}): ${kinds.map(([k, os]) => outcomeName(k, os.length)).join(", ")}.`,
        ...(resonated
          ? [
              `The post that resonated: ${resonatedTitle ? `“${resonatedTitle}”, ${ctx.config.baseUrl}${resonated[0]}` : resonated[0]} (${resonated[1]}).`,
            ]
          : []),
        ...(sources ? [`Most came from ${sources[0]} (${sources[1]}).`] : []),
        ...(topClicks.length
          ? [`Digest links clicked most: ${topClicks.map(([u, n]) => `${u} (${n})`).join(", ")}.`]
          : []),
      ]
    : [
        `Nothing came of the writing this week that this site could see (${comparison}). That happens; the next post may be the one.`,
      ];
  const html = emailLayout({
    title: subject,
    fontSize: 16,
    body: h`${lines.map((l) => h`<p style="margin:0 0 12px">${l}</p>\n`)}`,
    footer: smallPrint(h`${emailLink(admin, "All insights")} · Turn this email off there.`),
  });
  return { subject, html, text: `${lines.join("\n\n")}\n\n--\nAll insights (and turning this email off): ${admin}\n` };
}

/** The next Monday 08:00 in the owner's time zone after `now`. */
export function nextMonday(now: Date, tz: string): Date {
  const local = toLocalInput(now.toISOString(), tz); // YYYY-MM-DDTHH:MM, the owner's wall clock
  const wall = new Date(`${local.slice(0, 10)}T00:00:00Z`);
  const ahead = (8 - wall.getUTCDay()) % 7 || 7; // days to the coming Monday (a week on a Monday)
  for (const days of [ahead - 7, ahead]) {
    const d = new Date(wall.getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const at = fromLocalInput(`${d}T08:00`, tz);
    if (at && at > now) return at;
  }
  return new Date(now.getTime() + WEEK);
}

/** Register the email's job and queue the next. */
export async function registerWeekly(ctx: AppContext): Promise<void> {
  ctx.runner.register(
    handle(WEEKLY_JOB, async (_p, job) => {
      await ctx.jobs.releaseKey(job.id);
      const to = await ownerEmail(ctx);
      if (to && (await weeklyOn(ctx))) await queueTransactional(ctx, { to, ...(await weeklyEmail(ctx, ctx.now())) });
      await scheduleWeekly(ctx);
    }),
  );
  await scheduleWeekly(ctx);
}

async function scheduleWeekly(ctx: AppContext): Promise<void> {
  const runAt = nextMonday(ctx.now(), await getTimeZone(ctx));
  await ctx.jobs.enqueue(WEEKLY_JOB, {}, { uniqueKey: "insights:weekly", runAt, keepEarlier: true });
}
