/**
 * Public digest routes: `/d/:token` (a tracked link from a digest email: counts the click on
 * its entry and redirects to the original URL) and `/digests/:id/:secret` (a digest's page by
 * its secret link; private digests have no other page). Signed-in staff can read any digest at
 * `/digests/:id`. These pages are never cached and never indexed.
 */
import { type Context, Hono } from "hono";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError } from "../lib/errors.ts";
import { clientIp } from "../lib/http/client-ip.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { oncePerWindow } from "../lib/limits/limiter.ts";
import { verifyToken } from "../lib/tokens.ts";
import { loadChrome } from "../site/index.ts";
import { digestUrl } from "./publish.ts";
import { loadDigest } from "./service.ts";
import { digestStore } from "./store.ts";
import { subscriberOfRef } from "./tracking.ts";
import { digestPage } from "./views/page.ts";

/** Mounted on the main app before the site. */
export function digestRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // In the database, so a repeat counts once whichever web process it reaches.
  const seen = oncePerWindow(ctx, { name: "digest-click", windowMs: 3600_000 });

  app.get("/d/:token", async (c) => {
    const id = Number(verifyToken(ctx.secret, "digest-click", c.req.param("token"), ctx.now().getTime()));
    const store = digestStore(ctx.db);
    const entry = id ? await store.entry(id) : undefined;
    if (!entry) throw new NotFoundError("This link is not valid.");
    // HEAD (link checkers, previews) follows the redirect without counting; so do repeats by the
    // same client within an hour, and clicks on a digest not sent yet (the owner's previews).
    if (
      c.req.method === "GET" &&
      (await seen.first(`${entry.id}|${clientIp(c)}|${c.req.header("user-agent") ?? ""}`))
    ) {
      const digest = await store.byId(entry.digest_id);
      const who = subscriberOfRef(ctx, c.req.query("s"));
      if (digest?.status === "sent") {
        await store.click(entry.id, who, ctx.now().toISOString());
        // A reader of the digest went to a link the owner chose: an outcome (its entry is the note).
        await ctx.host.emit(ctx, "outcome", {
          kind: "click",
          who: who ? `subscriber:${who}` : `digest:${digest.id}`,
          note: entry.url.slice(0, 300),
        });
      }
    }
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.redirect(entry.url, 302);
  });

  const show = async (c: Context<AppEnv>, id: number, secret?: string) => {
    const digest = await digestStore(ctx.db).byId(id);
    const allowed = digest && (secret === digest.secret || c.get("user") !== null);
    if (!digest || !allowed) throw new NotFoundError("Page not found");
    // A public digest's page is its post.
    if (digest.post_id && !c.get("user")) return c.redirect(await digestUrl(ctx, digest), 301);
    const { view } = await loadDigest(ctx, id);
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex");
    return c.html(digestPage(await loadChrome(ctx), digest, view, c.req.path));
  };
  app.get("/digests/:id{[0-9]+}/:secret", (c) => show(c, Number(c.req.param("id")), c.req.param("secret")));
  app.get("/digests/:id{[0-9]+}", (c) => show(c, Number(c.req.param("id"))));
  return app;
}
