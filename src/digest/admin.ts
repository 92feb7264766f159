/**
 * /admin/digests (editors and the owner): the list, "New digest", the schedule and what
 * resonated. The editor of one digest is in admin-edit.ts, previews, exports and sending in
 * admin-send.ts. Every page works without JavaScript.
 */
import type { Context, Hono } from "hono";
import { audienceStore, perSubscriberClicks, setPerSubscriberClicks } from "../audience/index.ts";
import { contentChanged } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, many, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fromLocalInput } from "../lib/time.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { statusLabel } from "./admin-data.ts";
import { digestEditRoutes } from "./admin-edit.ts";
import { digestSendRoutes } from "./admin-send.ts";
import { draftDigest } from "./compose.ts";
import { scheduleNextDigest } from "./jobs.ts";
import { getSchedule, nextOccurrence, saveSchedule } from "./schedule.ts";
import { digestStore } from "./store.ts";
import { type DigestListData, type DigestListRow, digestListPage, type Resonance } from "./views/admin-list.ts";

async function listData(ctx: AppContext): Promise<Omit<DigestListData, "schedule" | "nextSend">> {
  const store = digestStore(ctx.db);
  const [rows, lists, themes, sources, timeZone] = await Promise.all([
    store.list(),
    audienceStore(ctx.db).allLists(),
    store.clicksBy("theme_name"),
    store.clicksBy("source_name"),
    getTimeZone(ctx),
  ]);
  const listName = new Map(lists.map((l) => [l.id, l.name]));
  const stats = await store.entryStats(rows.map((d) => d.id));
  const digests: DigestListRow[] = [];
  for (const d of rows) {
    const s = stats.get(d.id) ?? { entries: 0, clicks: 0 };
    digests.push({
      id: d.id,
      title: d.title,
      periodStart: d.period_start,
      periodEnd: d.period_end,
      status: statusLabel(d),
      entries: s.entries,
      sentTo: (JSON.parse(d.list_ids) as number[]).map((id) => listName.get(id) ?? `#${id}`),
      clicks: s.clicks,
    });
  }
  const sum = (r: { name: string; clicks: string | number | null; entries: string | number }[]): Resonance[] =>
    r
      .map((x) => ({ name: x.name, clicks: Number(x.clicks ?? 0), entries: Number(x.entries) }))
      .sort((a, b) => b.clicks - a.clicks || a.name.localeCompare(b.name));
  return { digests, lists, timeZone, resonated: { themes: sum(themes), sources: sum(sources) } };
}

const notices: Record<string, string> = {
  schedule: "Schedule saved.",
  tracking: "Click counting saved.",
  deleted: "Deleted.",
};

/** Register the digest admin on the admin app. */
export function digestAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/digests", requireUser("editor"));
  app.use("/digests/*", requireUser("editor"));

  async function render(c: Context<AppEnv>, extra: Partial<DigestListData> = {}) {
    const data = await listData(ctx);
    const schedule = extra.schedule ?? (await getSchedule(ctx));
    const stored = await getSchedule(ctx);
    const nextSend = stored.enabled ? nextOccurrence(ctx.now(), stored, data.timeZone).toISOString() : null;
    const perSubscriber = await perSubscriberClicks(ctx);
    const notice = notices[c.req.query("msg") ?? ""];
    return digestListPage(c, { ...data, schedule, nextSend, perSubscriber, notice, ...extra });
  }

  app.get("/digests", (c) => render(c));

  app.post("/digests", async (c) => {
    const since = one(await formBody(c), "since").trim();
    try {
      let start: Date | undefined;
      if (since) {
        const at = /^\d{4}-\d{2}-\d{2}$/.test(since) ? fromLocalInput(`${since}T00:00`, await getTimeZone(ctx)) : null;
        if (!at) throw new ValidationError("Use a date like 2026-03-01.", { field: "since" });
        start = at;
      }
      const { id } = await draftDigest(ctx, { since: start });
      return c.redirect(`/admin/digests/${id}?msg=created`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return render(c, { since, errors: { [field || "since"]: message }, status: 422 });
    }
  });

  app.post("/digests/schedule", async (c) => {
    const b = await formBody(c);
    const num = (name: string) => (/^\d+$/.test(one(b, name).trim()) ? Number(one(b, name)) : one(b, name));
    const input = {
      enabled: one(b, "enabled") === "1",
      weekday: num("weekday"),
      time: one(b, "time").trim(),
      prepareHours: num("prepareHours"),
      autoSend: one(b, "autoSend") === "1",
      lists: many(b, "lists"),
    };
    try {
      const known = new Set((await audienceStore(ctx.db).allLists()).map((l) => l.slug));
      const unknown = input.lists.find((s) => !known.has(s));
      if (unknown) throw new ValidationError(`There is no list “${unknown}”.`, { field: "lists" });
      await saveSchedule(ctx, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return render(c, { schedule: input as DigestListData["schedule"], errors: { [field]: message }, status: 422 });
    }
    await scheduleNextDigest(ctx);
    return c.redirect("/admin/digests?msg=schedule#schedule", 303);
  });

  app.post("/digests/tracking", async (c) => {
    await setPerSubscriberClicks(ctx, one(await formBody(c), "perSubscriber") === "1");
    // The promise shown after every post changes with it.
    await contentChanged(ctx);
    return c.redirect("/admin/digests?msg=tracking#tracking", 303);
  });

  digestEditRoutes(ctx, app);
  digestSendRoutes(ctx, app);
}
