/**
 * /admin/digests (editors and the owner): the list, "New digest", the schedule and what
 * resonated. The editor of one digest is in admin-edit.ts, previews, exports and sending in
 * admin-send.ts; what they do is in manage.ts and service.ts. Every page works without JavaScript.
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { formBody, many, one } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { fromLocalInput } from "../lib/time.ts";
import { fieldErrorOf } from "../lib/ui/form.ts";
import { digestEditRoutes } from "./admin-edit.ts";
import { digestSendRoutes } from "./admin-send.ts";
import { draftDigest } from "./compose.ts";
import { digestOverview, setClickCounting, setSchedule } from "./manage.ts";
import { type DigestListData, digestListPage } from "./views/admin-list.ts";

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
    const notice = notices[c.req.query("msg") ?? ""];
    return digestListPage(c, { ...(await digestOverview(ctx)), notice, ...extra });
  }

  app.get("/digests", (c) => render(c));

  app.post("/digests", async (c) => {
    const body = await formBody(c);
    const since = one(body, "since").trim();
    try {
      let start: Date | undefined;
      if (since) {
        const at = /^\d{4}-\d{2}-\d{2}$/.test(since) ? fromLocalInput(`${since}T00:00`, await getTimeZone(ctx)) : null;
        if (!at) throw new ValidationError("Use a date like 2026-03-01.", { field: "since" });
        start = at;
      }
      const { id } = await draftDigest(ctx, { since: start, allowEmpty: one(body, "empty") === "1" });
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
      await setSchedule(ctx, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return render(c, { schedule: input as DigestListData["schedule"], errors: { [field]: message }, status: 422 });
    }
    return c.redirect("/admin/digests?msg=schedule#schedule", 303);
  });

  app.post("/digests/tracking", async (c) => {
    await setClickCounting(ctx, one(await formBody(c), "perSubscriber") === "1");
    return c.redirect("/admin/digests?msg=tracking#tracking", 303);
  });

  digestEditRoutes(ctx, app);
  digestSendRoutes(ctx, app);
}
