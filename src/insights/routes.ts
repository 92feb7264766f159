/** The public /story (when the owner turns it on): what I've been writing about, by theme over time. */
import { Hono } from "hono";
import { allThemes } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError } from "../lib/errors.ts";
import { h } from "../lib/html.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { layout, loadChrome } from "../site/index.ts";
import { keyPostsBody, storyBody } from "./admin/story-views.ts";
import { insightStore } from "./store.ts";
import { storyOf } from "./story.ts";
import { storyStore } from "./story-store.ts";

export function storyRoutes(ctx: AppContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get("/story", async (c) => {
    if ((await insightStore(ctx.db).setting("story_public")) !== "1") throw new NotFoundError("Page not found");
    const [story, chrome, themes, posts] = await Promise.all([
      storyOf(ctx),
      loadChrome(ctx),
      allThemes(ctx),
      storyStore(ctx.db).keyPosts(),
    ]);
    const byTheme = themes
      .map((t) => ({ theme: t.name, posts: posts.filter((p) => p.theme_id === t.id).slice(0, 3) }))
      .filter((t) => t.posts.length);
    const title = "What I've been writing about";
    return c.html(
      layout(
        chrome,
        { title, path: "/story" },
        h`<div class="wrap"><header class="page-header"><h1>${title}</h1></header>
${storyBody(story, { admin: false, kinds: ["posts"] })}
${keyPostsBody(byTheme)}</div>`,
      ),
    );
  });
  return app;
}
