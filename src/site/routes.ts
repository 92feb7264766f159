/**
 * The public site: home, posts and pages, themes, archive, search, feeds, sitemap, robots.txt,
 * slide decks (deck CSS, handout) and static assets. Handlers are thin: parse, load, render.
 * Every GET page goes through `publicRoute` (page cache, ETag/304, compression).
 */
import { type Context, Hono } from "hono";
import { allThemes, deletedAt, isSlug, searchPosts, themeBySlug } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import type { PostKind } from "../lib/db/schema.ts";
import { HttpError, NotFoundError } from "../lib/errors.ts";
import type { AppEnv } from "../lib/http/env.ts";
import type { ModuleHost } from "../lib/module.ts";
import { assetUrl, serveAsset } from "./assets.ts";
import { freshness, publicRoute, type Rendered } from "./cache.ts";
import { atomFeed, jsonFeed, robotsTxt, rssFeed, sitemap } from "./feeds.ts";
import {
  deckCss,
  deckCssUrl,
  listPosts,
  loadChrome,
  loadFeed,
  loadPostView,
  loadSitemap,
  publicPost,
  redirectFor,
  renderBlocks,
  themesWithCounts,
} from "./service.ts";
import { siteStore } from "./store.ts";
import { pathOf } from "./views/components.ts";
import { archivePage, homePage, themePage, themesPage, yearPage } from "./views/lists.ts";
import { handoutPage, postPage } from "./views/post.ts";
import { searchPage } from "./views/search.ts";

const PER_PAGE = 10;
const SEARCH_PER_PAGE = 10;
const kinds: PostKind[] = ["article", "presentation", "note", "page", "link", "digest"];

/** `?page=` as a positive integer (anything else is page 1). */
function pageParam(v: string | undefined): number {
  const n = v && /^\d{1,5}$/.test(v) ? Number(v) : 1;
  return n >= 1 ? n : 1;
}

const feedFormats = {
  atom: { build: atomFeed, type: "application/atom+xml; charset=utf-8" },
  rss: { build: rssFeed, type: "application/rss+xml; charset=utf-8" },
  json: { build: jsonFeed, type: "application/feed+json; charset=utf-8" },
} as const;

/** A route parameter (always present when the route matched). */
function param(c: Context<AppEnv>, name: string): string {
  return c.req.param(name) ?? "";
}

function notFound(what = "There is nothing at this address."): never {
  throw new NotFoundError(what);
}

/** Routes of the public site, mounted at "/" after every other module. */
export function siteRoutes(ctx: AppContext, host: ModuleHost): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const fresh = freshness(ctx);
  const get = (path: string, render: Parameters<typeof publicRoute>[2]) =>
    app.get(path, publicRoute(ctx, fresh, render));

  app.get("/assets/:name", (c) => serveAsset(c, param(c, "name")) ?? notFound());
  // Browsers ask for /favicon.ico whatever the page links to (the admin, feeds opened directly).
  app.get("/favicon.ico", (c) => c.redirect(assetUrl("icon.svg"), 301));

  get("/", async (c) => {
    const page = pageParam(c.req.query("page"));
    const [chrome, listing, top] = await Promise.all([
      loadChrome(ctx),
      listPosts(ctx, { page, perPage: PER_PAGE, covers: true }),
      page > 1 ? [] : renderBlocks(ctx, "home.top"),
    ]);
    if (page > 1 && !listing.posts.length) notFound("There are no posts on this page.");
    return { body: homePage(chrome, listing, page, top) };
  });

  const feed = async (ext: string, themeSlug?: string): Promise<Rendered> => {
    const format = feedFormats[ext as keyof typeof feedFormats];
    if (!format) notFound();
    const theme = themeSlug ? await themeBySlug(ctx, themeSlug) : undefined;
    if (themeSlug && !theme) notFound("There is no such theme.");
    const data = await loadFeed(ctx, theme);
    return { body: format.build(data), contentType: format.type };
  };
  get("/:file{feed\\.(?:atom|rss|json)}", (c) => feed(param(c, "file").slice(5)));
  get("/themes/:slug/:file{feed\\.(?:atom|rss|json)}", (c) => feed(param(c, "file").slice(5), param(c, "slug")));

  get("/sitemap.xml", async () => ({
    body: sitemap(await loadSitemap(ctx)),
    contentType: "application/xml; charset=utf-8",
  }));
  get("/robots.txt", async () => ({
    body: robotsTxt(ctx.config.baseUrl),
    contentType: "text/plain; charset=utf-8",
  }));

  get("/themes", async () => {
    const [chrome, themes] = await Promise.all([loadChrome(ctx), themesWithCounts(ctx)]);
    return { body: themesPage(chrome, themes) };
  });
  get("/themes/:slug", async (c) => {
    const theme = await themeBySlug(ctx, param(c, "slug"));
    if (!theme) notFound("There is no such theme.");
    const page = pageParam(c.req.query("page"));
    const [chrome, listing] = await Promise.all([
      loadChrome(ctx),
      listPosts(ctx, { themeId: theme.id, page, perPage: PER_PAGE }),
    ]);
    if (page > 1 && !listing.posts.length) notFound("There are no posts on this page.");
    return { body: themePage(chrome, theme, listing, page) };
  });

  get("/archive", async () => {
    const [chrome, years] = await Promise.all([loadChrome(ctx), siteStore(ctx.db).years(ctx.now().toISOString())]);
    return { body: archivePage(chrome, years) };
  });
  get("/archive/:year{[0-9]{4}}", async (c) => {
    const year = Number(param(c, "year"));
    const [chrome, listing] = await Promise.all([loadChrome(ctx), listPosts(ctx, { year, perPage: 5000 })]);
    if (!listing.posts.length) notFound(`Nothing was published in ${year}.`);
    return { body: yearPage(chrome, year, listing) };
  });

  get("/search", async (c) => {
    const q = (c.req.query("q") ?? "").trim().slice(0, 200);
    const kindParam = c.req.query("kind") ?? "";
    const kind = kinds.includes(kindParam as PostKind) ? (kindParam as PostKind) : undefined;
    const page = pageParam(c.req.query("page"));
    const [chrome, themes] = await Promise.all([loadChrome(ctx), allThemes(ctx)]);
    const theme = themes.find((t) => t.slug === c.req.query("theme"));
    const result = q
      ? await searchPosts(ctx.db, {
          q,
          kind,
          themeId: theme?.id,
          publishedBefore: ctx.now().toISOString(),
          limit: SEARCH_PER_PAGE,
          offset: (page - 1) * SEARCH_PER_PAGE,
        })
      : { total: 0, hits: [] };
    const view = { q, theme: theme?.slug, kind, page, perPage: SEARCH_PER_PAGE, themes, ...result };
    return { body: searchPage(chrome, view) };
  });

  /** A public presentation by slug (for its deck CSS and handout), else 404. */
  const presentation = async (slug: string) => {
    const found = await publicPost(ctx, slug);
    if (found?.post.kind !== "presentation") notFound("There is no presentation at this address.");
    return found;
  };
  get("/posts/:slug/deck.css", async (c) => {
    const { post } = await presentation(param(c, "slug"));
    const versioned = c.req.query("v") === deckCssUrl(post).split("?v=")[1];
    return {
      body: deckCss(post),
      contentType: "text/css; charset=utf-8",
      cacheControl: versioned ? "public, max-age=31536000, immutable" : undefined,
    };
  });
  get("/posts/:slug/handout", async (c) => {
    const found = await presentation(param(c, "slug"));
    const [chrome, view] = await Promise.all([loadChrome(ctx), loadPostView(ctx, found, { related: false })]);
    return { body: handoutPage(chrome, view) };
  });

  const showPost = (prefix: "/posts/" | "/") =>
    get(`${prefix}:slug`, async (c) => {
      const slug = param(c, "slug");
      if (!isSlug(slug)) notFound();
      const found = await publicPost(ctx, slug);
      if (found && pathOf(found.post) !== `${prefix}${slug}`) return c.redirect(pathOf(found.post), 301);
      if (!found) {
        // An old address of a post whose slug changed.
        const to = await redirectFor(ctx, `${prefix}${slug}`);
        if (to) return c.redirect(to, 301);
        if (await deletedAt(ctx, `${prefix}${slug}`)) throw new HttpError(410, "This post was deleted.");
        notFound(prefix === "/" ? "There is nothing at this address." : "There is no post at this address.");
      }
      const [chrome, view] = await Promise.all([loadChrome(ctx), loadPostView(ctx, found, { related: true, host })]);
      return { body: postPage(chrome, view) };
    });
  showPost("/posts/");
  showPost("/");

  return app;
}
