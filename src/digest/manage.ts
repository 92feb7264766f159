/**
 * Managing digests beyond editing a draft, for the admin pages: the overview (each digest with
 * its entries, lists and clicks; what resonated; the schedule and the next send), saving the
 * schedule, per-subscriber click counting, holding a scheduled draft, and the exports.
 */
import { allLists, perSubscriberClicks, requireLists, setPerSubscriberClicks } from "../audience/index.ts";
import { contentChanged } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError } from "../lib/errors.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { scheduleNextDigest } from "./jobs.ts";
import { digestExportHtml, digestMarkdown } from "./render.ts";
import { type DigestSchedule, getSchedule, nextOccurrence, saveSchedule } from "./schedule.ts";
import { loadDigest } from "./service.ts";
import { type DigestRow, digestStore } from "./store.ts";

/** A digest's status as the admin shows it: draft, scheduled, held or sent. */
export function statusLabel(d: { status: string; send_at: string | null; held: number }): string {
  if (d.status !== "draft") return d.status;
  if (d.send_at) return d.held ? "held" : "scheduled";
  return "draft";
}

/** Clicks and entries summed under a name (a theme or a source). */
export interface Resonance {
  name: string;
  clicks: number;
  entries: number;
}

/** One digest in the overview. */
export interface DigestListRow {
  id: number;
  title: string;
  periodStart: string;
  periodEnd: string;
  /** draft, scheduled, held or sent. */
  status: string;
  entries: number;
  /** Names of the lists it went to. */
  sentTo: string[];
  clicks: number;
}

/** Everything the digests overview shows. */
export interface DigestOverview {
  digests: DigestListRow[];
  lists: { slug: string; name: string }[];
  timeZone: string;
  /** Clicks per theme and per source of sent digests, most first. */
  resonated: { themes: Resonance[]; sources: Resonance[] };
  schedule: DigestSchedule;
  /** When the next digest goes out (ISO), or null when the schedule is off. */
  nextSend: string | null;
  /** Per-subscriber click counting is on. */
  perSubscriber: boolean;
}

const resonance = (r: { name: string; clicks: string | number | null; entries: string | number }[]): Resonance[] =>
  r
    .map((x) => ({ name: x.name, clicks: Number(x.clicks ?? 0), entries: Number(x.entries) }))
    .sort((a, b) => b.clicks - a.clicks || a.name.localeCompare(b.name));

/** The digests overview: entry counts and clicks of every digest in one query, not one per digest. */
export async function digestOverview(ctx: AppContext): Promise<DigestOverview> {
  const store = digestStore(ctx.db);
  const [rows, lists, themes, sources, timeZone, schedule, perSubscriber] = await Promise.all([
    store.list(),
    allLists(ctx),
    store.clicksBy("theme_name"),
    store.clicksBy("source_name"),
    getTimeZone(ctx),
    getSchedule(ctx),
    perSubscriberClicks(ctx),
  ]);
  const listName = new Map(lists.map((l) => [l.id, l.name]));
  const stats = await store.entryStats(rows.map((d) => d.id));
  const digests = rows.map((d): DigestListRow => {
    const s = stats.get(d.id) ?? { entries: 0, clicks: 0 };
    return {
      id: d.id,
      title: d.title,
      periodStart: d.period_start,
      periodEnd: d.period_end,
      status: statusLabel(d),
      entries: s.entries,
      sentTo: (JSON.parse(d.list_ids) as number[]).map((id) => listName.get(id) ?? `#${id}`),
      clicks: s.clicks,
    };
  });
  return {
    digests,
    lists,
    timeZone,
    resonated: { themes: resonance(themes), sources: resonance(sources) },
    schedule,
    nextSend: schedule.enabled ? nextOccurrence(ctx.now(), schedule, timeZone).toISOString() : null,
    perSubscriber,
  };
}

/** Save the schedule (its lists must exist) and plan the next digest by it. */
export async function setSchedule(ctx: AppContext, input: { lists: string[] }): Promise<DigestSchedule> {
  // Each slug must name a list; the error names the lists there are.
  if (input.lists.length) await requireLists(ctx, input.lists, "lists");
  const saved = await saveSchedule(ctx, input);
  await scheduleNextDigest(ctx);
  return saved;
}

/** Turn per-subscriber click counting on or off. */
export async function setClickCounting(ctx: AppContext, on: boolean): Promise<void> {
  await setPerSubscriberClicks(ctx, on);
  // The promise shown after every post changes with it.
  await contentChanged(ctx);
}

/** The digest, or a 409 when it has been sent (sent digests are read-only). */
export async function draftOr409(ctx: AppContext, id: number): Promise<DigestRow> {
  const d = await digestStore(ctx.db).byId(id);
  if (!d) throw new NotFoundError(`There is no digest ${id}.`);
  if (d.status !== "draft") throw new HttpError(409, "This digest has been sent; it can no longer be changed.");
  return d;
}

/** Hold a scheduled draft (it will not go out by itself) or release it. */
export async function setHeld(ctx: AppContext, id: number, held: boolean): Promise<void> {
  const d = await draftOr409(ctx, id);
  if (!d.send_at)
    throw new HttpError(409, "This draft is not scheduled to go out by itself, so there is nothing to hold.");
  await digestStore(ctx.db).update(id, { held: held ? 1 : 0, updated_at: ctx.now().toISOString() });
}

const fileSlug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "digest";

/** A digest as a file to download: Markdown, or HTML to paste elsewhere. */
export async function digestExport(
  ctx: AppContext,
  id: number,
  ext: "md" | "html",
): Promise<{ fileName: string; contentType: string; body: string }> {
  const { digest, view } = await loadDigest(ctx, id);
  return {
    fileName: `${fileSlug(digest.title)}.${ext}`,
    contentType: ext === "md" ? "text/markdown; charset=utf-8" : "text/html; charset=utf-8",
    body: ext === "md" ? digestMarkdown(view) : digestExportHtml(view),
  };
}
