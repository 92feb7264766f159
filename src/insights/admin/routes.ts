/** /admin/insights (owners): the figures, "Record an outcome", counting on or off, the export. */
import { randomUUID } from "node:crypto";
import type { Context, Hono } from "hono";
import { postAtPath, postBySlug } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { type Body, formBody, idParam, noticeOf, one } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { dashboard } from "../dashboard.ts";
import { EARLIEST_DAY, experimentResults, startExperiment, stopExperiment } from "../experiments.ts";
import { isCurrency, parseAmount } from "../kinds.ts";
import { retentionDays } from "../rollup.ts";
import { countingChanged, countingOn } from "../sink.ts";
import { isDay, periodSince, statsBetween } from "../stats.ts";
import { insightStore } from "../store.ts";
import { weeklyOn } from "../weekly.ts";
import { exportRoutes } from "./exports.ts";
import { insightsPage } from "./views.ts";

/** Register the pages on the admin app. */
export function insightsAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/insights", requireUser("owner"));
  app.use("/insights/*", requireUser("owner"));

  const show = async (
    c: Context<AppEnv>,
    extra: { errors?: Record<string, string>; typed?: Record<string, string> } = {},
  ) =>
    insightsPage(c, {
      d: await dashboard(ctx),
      experiments: await experimentResults(ctx),
      counting: await countingOn(ctx),
      weekly: await weeklyOn(ctx),
      retentionDays: await retentionDays(ctx),
      visits: await (async () => {
        const { from, to } = periodSince(ctx, undefined);
        return statsBetween(ctx, from, to);
      })(),
      today: ctx.now().toISOString().slice(0, 10),
      notice: noticeOf(c),
      status: extra.errors ? 400 : 200,
      ...extra,
    });
  app.get("/insights", (c) => show(c));

  app.post("/insights/outcomes", async (c) => {
    const b = await formBody(c);
    const typed = Object.fromEntries(["note", "date", "post", "value", "currency"].map((k) => [k, one(b, k).trim()]));
    const errors = await checkManual(ctx, typed);
    if (errors.errors) return show(c, { errors: errors.errors, typed });
    // Midday of its day, so that no time zone moves it to another; today's, now (not in the future).
    const now = ctx.now().toISOString();
    const at = typed.date === now.slice(0, 10) ? now : `${typed.date}T12:00:00.000Z`;
    await insightStore(ctx.db).addOutcome({
      kind: "manual",
      at,
      post_id: errors.postId,
      who: `manual:${randomUUID()}`, // each its own: the owner is not a new person
      entry_path: "",
      source: "elsewhere",
      pages: "[]",
      visitor: null,
      attributed_at: at,
      value_cents: errors.cents,
      currency: errors.cents === null ? null : typed.currency.toUpperCase(),
      note: typed.note,
      created_at: ctx.now().toISOString(),
    });
    return c.redirect("/admin/insights?msg=saved", 303);
  });

  app.post("/insights/experiments", async (c) => {
    const b = await formBody(c);
    const typed = Object.fromEntries(["hypothesis", "channel", "start", "end"].map((k) => [k, one(b, k).trim()]));
    const missing: Record<string, string> = {};
    if (!typed.hypothesis) missing.hypothesis = "Say what you expect (the hypothesis).";
    if (!typed.channel) missing.channel = "Say what you will do, and where (the channel).";
    if (typed.start && !isDay(typed.start)) missing.start = `“${typed.start}” is not a date (YYYY-MM-DD).`;
    if (!typed.end) missing.end = "Say when it ends.";
    else if (!isDay(typed.end)) missing.end = `“${typed.end}” is not a date (YYYY-MM-DD).`;
    if (Object.keys(missing).length) return show(c, { errors: missing, typed });
    try {
      await startExperiment(ctx, {
        hypothesis: typed.hypothesis,
        channel: typed.channel,
        start: typed.start || ctx.now().toISOString().slice(0, 10),
        end: typed.end,
      });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return show(c, { errors: { [err.field ?? "hypothesis"]: err.message }, typed });
    }
    return c.redirect("/admin/insights?msg=created", 303);
  });
  app.post("/insights/experiments/:id{[0-9]+}/stop", async (c) => {
    const done = await stopExperiment(ctx, idParam(c));
    if (!done) throw new NotFoundError("There is no running experiment to stop.");
    return c.redirect("/admin/insights?msg=saved", 303);
  });

  app.post("/insights/settings", async (c) => {
    const b: Body = await formBody(c);
    const days = Number(one(b, "retention"));
    if (!Number.isInteger(days) || days < 1 || days > 3650)
      return show(c, {
        errors: { retention: `Keep the pages for 1 to 3,650 days (got “${one(b, "retention")}”).` },
        typed: { retention: one(b, "retention"), counting: one(b, "counting"), weekly: one(b, "weekly") },
      });
    const store = insightStore(ctx.db);
    await store.setSetting("counting", one(b, "counting") === "1" ? "1" : "0");
    countingChanged(ctx, one(b, "counting") === "1"); // this process at once; the others within seconds
    await store.setSetting("retention_days", String(days));
    await store.setSetting("weekly_email", one(b, "weekly") === "1" ? "1" : "0");
    return c.redirect("/admin/insights?msg=saved", 303);
  });

  exportRoutes(ctx, app);
}

/** A hand-recorded outcome's fields checked: the post it came from and its worth, or the errors. */
async function checkManual(ctx: AppContext, t: Record<string, string>) {
  const errors: Record<string, string> = {};
  if (!t.note) errors.note = "Say what happened.";
  else if (t.note.length > 500) errors.note = "Keep it under 500 characters.";
  if (!t.date) errors.date = "Say when it happened.";
  else if (!isDay(t.date)) errors.date = `“${t.date}” is not a date (YYYY-MM-DD).`;
  else if (t.date > ctx.now().toISOString().slice(0, 10))
    errors.date = "That is still to come: record it once it happened.";
  else if (t.date < EARLIEST_DAY) errors.date = `That is before ${EARLIEST_DAY}: is the year right?`;
  let postId: number | null = null;
  if (t.post) {
    // Its address on this site (query and fragment ignored), its path, or its slug.
    const host = /^https?:\/\/([^/?#]+)/i.exec(t.post)?.[1];
    const path = t.post.replace(/^https?:\/\/[^/?#]+/i, "").replace(/[?#].*$/, "");
    const post = path.startsWith("/") ? await postAtPath(ctx, path) : await postBySlug(ctx, path.replace(/\/$/, ""));
    if (host && host.toLowerCase() !== new URL(ctx.config.baseUrl).host.toLowerCase())
      errors.post = `“${t.post}” is not an address on this site (${new URL(ctx.config.baseUrl).host}).`;
    else if (post) postId = post.id;
    else errors.post = `There is no post “${t.post}”.`;
  }
  let cents: number | null = null;
  if (t.value) {
    const amount = parseAmount(t.value);
    const currency = t.currency.toUpperCase();
    if ("error" in amount) errors.value = amount.error;
    else if (amount.currency && amount.currency !== currency)
      errors.value = `“${t.value}” is in ${amount.currency}, but the currency says ${currency || "nothing"}.`;
    else cents = amount.cents;
    if (!isCurrency(currency)) errors.currency = "A currency is its three-letter code (EUR, USD, GBP).";
  }
  return { errors: Object.keys(errors).length ? errors : undefined, postId, cents };
}
