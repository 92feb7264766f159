/**
 * GET /admin/discover (the ranking), GET /admin/discover/preview (a site's feed before following),
 * POST /admin/discover/follow (follow a cited site through feed autodiscovery, then back to the
 * ranking, where the site no longer appears), and POST /admin/discover/dismiss and /restore (a
 * site the user does not want suggested; remembered in `discover_dismissed`).
 */
import type { Context, Hono } from "hono";
import type { AppContext } from "../../lib/context.ts";
import { statusOf, ValidationError } from "../../lib/errors.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, one } from "../../lib/http/request.ts";
import { FetchError } from "../../lib/net/types.ts";
import { getTimeZone } from "../../lib/settings/time-zone.ts";
import { followSource } from "../sources/service.ts";
import { previewFeed } from "./preview.ts";
import { discoverSites } from "./service.ts";
import { dismissedHosts, dismissHost, restoreHost, sourceTitle } from "./store.ts";
import { discoverPage } from "./views/discover.ts";
import { previewPage } from "./views/preview.ts";

/** A cited host from a form: what citations.target_host holds (a host, maybe with a profile path). */
export function hostField(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (!value) throw new ValidationError("Which site? The form did not say (field “host” is empty).", { field: "host" });
  if (value.length > 300 || !/^[a-z0-9.-]+(?::\d+)?(?:\/[^\s]*)?$/.test(value)) {
    throw new ValidationError(`“${value.slice(0, 100)}” is not a site's host name.`, { field: "host" });
  }
  return value;
}

const NOTICES: Record<string, string> = {
  dismissed: "Dismissed: that site won't be suggested again. The list of dismissed sites is at the bottom of the page.",
  restored: "That site can be suggested again.",
};

/** The address to follow: an absolute http(s) URL of reasonable length, else a 400 naming the field. */
export function followUrl(raw: string): string {
  const value = raw.trim();
  if (!value) throw new ValidationError("Which site? The form did not say (field “url” is empty).", { field: "url" });
  if (value.length > 2048)
    throw new ValidationError("The site address is too long (over 2,048 characters).", { field: "url" });
  let url: URL;
  try {
    url = new URL(value);
  } catch (err) {
    throw new ValidationError(`“${value.slice(0, 100)}” is not a web address.`, { field: "url", cause: err });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError("Only http and https sites can be followed.", { field: "url" });
  }
  return url.href;
}

/** Register the Discover pages on the admin app. */
export function discoverRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  const render = async (
    c: Context<AppEnv>,
    extra: { notice?: string; failed?: { message: string; url: string }; status?: number },
  ) => {
    const [{ days, sites }, timeZone, dismissed] = await Promise.all([
      discoverSites(ctx),
      getTimeZone(ctx),
      dismissedHosts(ctx.db),
    ]);
    return discoverPage(c, { days, sites, timeZone, dismissed, ...extra });
  };

  app.get("/discover", async (c) => {
    // The notice names the followed source from the database, never text from the URL.
    const followed = /^\d{1,9}$/.test(c.req.query("followed") ?? "") ? Number(c.req.query("followed")) : 0;
    const source = followed ? await sourceTitle(ctx.db, followed) : undefined;
    const notice = source
      ? `Now following ${source.title}. Its items will appear in the reader, and ${source.site_host || "the site"} no longer appears here.`
      : NOTICES[c.req.query("msg") ?? ""];
    return render(c, { notice });
  });

  app.get("/discover/preview", async (c) => {
    const siteUrl = followUrl(c.req.query("url") ?? "");
    const rawHost = c.req.query("host") ?? "";
    const host = rawHost ? hostField(rawHost) : "";
    const timeZone = await getTimeZone(ctx);
    try {
      return previewPage(c, { siteUrl, host, timeZone, preview: await previewFeed(ctx, siteUrl) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return previewPage(c, { siteUrl, host, timeZone, error: err.message, status: 502 });
    }
  });

  app.post("/discover/dismiss", async (c) => {
    await dismissHost(ctx.db, hostField(one(await formBody(c), "host")), ctx.now().toISOString());
    return c.redirect("/admin/discover?msg=dismissed", 303);
  });

  app.post("/discover/restore", async (c) => {
    await restoreHost(ctx.db, hostField(one(await formBody(c), "host")));
    return c.redirect("/admin/discover?msg=restored", 303);
  });

  app.post("/discover/follow", async (c) => {
    const url = followUrl(one(await formBody(c), "url"));
    let sourceId: number;
    try {
      sourceId = (await followSource(ctx, url)).source.id;
    } catch (err) {
      // Expected failures (no feed found, site unreachable, already followed) stay on this page
      // with the site's link; anything else is a server error.
      if (statusOf(err) >= 500 && !(err instanceof FetchError)) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const status = err instanceof FetchError ? 502 : statusOf(err);
      // "Could not fetch <url>: why" says it all; don't wrap it in "Could not follow <url>: ".
      const said = message.startsWith(`Could not fetch ${url}`) ? message : `Could not follow ${url}: ${message}`;
      return render(c, { failed: { message: said, url }, status });
    }
    return c.redirect(`/admin/discover?followed=${sourceId}`, 303);
  });
}
