/**
 * /admin/events (editors and owners): every event with registered / capacity and the waitlist,
 * one event's registrants, and their CSV export.
 */
import type { Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { idParam } from "../lib/http/request.ts";
import { requireUser } from "../lib/http/require-user.ts";
import { getTimeZone } from "../lib/settings/time-zone.ts";
import { registrantsCsv } from "./registrants.ts";
import { eventStore } from "./store.ts";
import { eventListPage, registrantsPage } from "./views/admin.ts";

/** Register the Events pages on the admin app. */
export function eventAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/events", requireUser("editor"));
  app.use("/events/*", requireUser("editor"));
  const store = eventStore(ctx.db);
  const load = async (id: number) => {
    const ev = await store.byPostWithPost(id);
    if (!ev) throw new NotFoundError("There is no event with that id.");
    return ev;
  };

  app.get("/events", async (c) => {
    const events = await store.all();
    const counts = await store.counts(events.map((e) => e.post_id));
    return eventListPage(
      c,
      events.map((ev) => ({ ev, counts: counts.get(ev.post_id) ?? { registered: 0, waitlisted: 0 } })),
    );
  });

  app.get("/events/:id{[0-9]+}", async (c) => {
    const ev = await load(idParam(c));
    const [registrations, counts, timeZone] = await Promise.all([
      store.registrations(ev.post_id),
      store.counts([ev.post_id]),
      getTimeZone(ctx),
    ]);
    return registrantsPage(c, {
      ev,
      registrations,
      counts: counts.get(ev.post_id) ?? { registered: 0, waitlisted: 0 },
      timeZone,
    });
  });

  app.get("/events/:id{[0-9]+}/registrants.csv", async (c) => {
    const ev = await load(idParam(c));
    const csv = registrantsCsv(ev, await store.registrations(ev.post_id));
    c.header("Content-Type", "text/csv; charset=utf-8");
    c.header("Content-Disposition", `attachment; filename="${ev.slug}-registrants.csv"`);
    c.header("Cache-Control", "no-store");
    return c.body(csv);
  });
}
