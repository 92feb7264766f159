/** /admin/fediverse: the account's settings, followers, blocks and move (owners only). */
import type { Context, Hono } from "hono";
import { postById, postPath } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { type Body, formBody, idParam, one } from "../../lib/http/request.ts";
import { requireUser } from "../../lib/http/require-user.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { type FieldErrors, fieldErrorOf } from "../../lib/ui/form.ts";
import { block, decideFollower, moveTo, saveAccountSettings } from "../account.ts";
import { fediBlockStore, followerStore } from "../relations-store.ts";
import { accountStore } from "../store.ts";
import { replyRoutes } from "./reply.ts";
import { fediversePage, type Typed } from "./views.ts";

const notices: Record<string, string> = {
  saved: "Settings saved.",
  approve: "Follower approved.",
  reject: "Follow request refused.",
  remove: "Follower removed.",
  blocked: "Blocked.",
  "already-blocked": "That was blocked already.",
  unblocked: "Unblocked.",
  moved: "The move is on its way to your followers.",
};

/** Month by month: who joined, who left, how many at the end. Pure. */
export function followerMonths(rows: { created_at: string; removed_at: string | null; status: string }[]) {
  const by = new Map<string, { joined: number; left: number }>();
  const bump = (at: string, k: "joined" | "left") => {
    const m = at.slice(0, 7);
    const e = by.get(m) ?? { joined: 0, left: 0 };
    e[k]++;
    by.set(m, e);
  };
  for (const r of rows) {
    if (r.status !== "accepted" && !r.removed_at) continue;
    bump(r.created_at, "joined");
    if (r.removed_at) bump(r.removed_at, "left");
  }
  let total = 0;
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, e]) => {
      total += e.joined - e.left;
      return { month, ...e, total };
    });
}

/** Register the page on the admin app. */
export function fediverseAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.use("/fediverse", requireUser("owner"));
  app.use("/fediverse/*", requireUser("owner"));

  const show = async (
    c: Context<AppEnv>,
    extra: { error?: string; status?: number; typed?: Typed; errors?: FieldErrors; notice?: string } = {},
  ) => {
    const followers = followerStore(ctx.db);
    const [settings, pending, list, total, history, blocks, timeZone] = await Promise.all([
      accountStore(ctx.db).settings(),
      followers.list("pending", 100),
      followers.list("accepted", 100),
      followers.count(),
      followers.history(),
      fediBlockStore(ctx.db).all(),
      getTimeZone(ctx),
    ]);
    const posts = new Map<number, { title: string; path: string }>();
    for (const id of new Set([...pending, ...list].map((f) => f.via_post_id).filter((v): v is number => !!v))) {
      const p = await postById(ctx, id);
      if (p) posts.set(id, { title: p.title, path: postPath(p) });
    }
    const host = new URL(ctx.config.baseUrl).host;
    return fediversePage(c, {
      address: `@${settings.handle}@${host}`,
      settings,
      pending,
      followers: list,
      total,
      posts,
      months: followerMonths(history),
      blocks,
      timeZone,
      notice: notices[c.req.query("msg") ?? ""],
      ...extra,
    });
  };

  app.get("/fediverse", (c) => show(c));
  replyRoutes(ctx, app);

  /** Run an action; a ValidationError shows the page again, what was typed kept, the message at its field (400). */
  const act = (fn: (c: Context<AppEnv>, body: Body) => Promise<string>) => async (c: Context<AppEnv>) => {
    const body = await formBody(c);
    try {
      return c.redirect(`/admin/fediverse?msg=${await fn(c, body)}`, 303);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { field, message } = fieldErrorOf(err);
      return show(c, {
        error: "Nothing was changed: see the message at the field.",
        errors: { [field || "value"]: message.charAt(0).toUpperCase() + message.slice(1) },
        status: 400,
        typed: {
          handle: one(body, "handle") || undefined,
          approveFollowers: one(body, "handle") ? one(body, "approveFollowers") === "1" : undefined,
          alsoKnownAs: one(body, "alsoKnownAs") || undefined,
          value: one(body, "value"),
          target: one(body, "target"),
        },
      });
    }
  };

  app.post(
    "/fediverse/settings",
    act(async (_c, b) => {
      await saveAccountSettings(ctx, {
        handle: one(b, "handle"),
        approveFollowers: one(b, "approveFollowers") === "1",
        alsoKnownAs: one(b, "alsoKnownAs"),
      });
      return "saved";
    }),
  );
  app.post(
    "/fediverse/followers/:id{[0-9]+}/:decision{approve|reject|remove}",
    act(async (c) => {
      const decision = c.req.param("decision") as "approve" | "reject" | "remove";
      await decideFollower(ctx, idParam(c), decision);
      return decision;
    }),
  );
  app.post(
    "/fediverse/blocks",
    act(async (_c, b) => ((await block(ctx, one(b, "value"))).added ? "blocked" : "already-blocked")),
  );
  app.post("/fediverse/blocks/:id{[0-9]+}/delete", async (c) => {
    if (!(await fediBlockStore(ctx.db).remove(idParam(c))))
      return show(c, { error: "That block was already removed.", status: 404 });
    return c.redirect("/admin/fediverse?msg=unblocked", 303);
  });
  app.post(
    "/fediverse/move",
    act(async (_c, b) => {
      if (one(b, "confirm") !== "1")
        throw new ValidationError("Tick the box to confirm the move: it cannot be undone from here.", {
          field: "target",
        });
      await moveTo(ctx, one(b, "target"));
      return "moved";
    }),
  );
}
