/** /admin/insights/story (owners): the story over time, the secondary themes, the public page switch. */
import type { Hono } from "hono";
import { html } from "hono/html";
import { allThemes, contentChanged } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { formBody, many, noticeOf, one } from "../../lib/http/request.ts";
import { csrfField, page } from "../../lib/ui/layout.ts";
import { insightStore } from "../store.ts";
import { secondaryThemes, storyOf } from "../story.ts";
import { storyBody } from "./story-views.ts";

/** Register the page on the admin app (under /insights: owners only, by its middleware). */
export function storyAdminRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.get("/insights/story", async (c) => {
    const [story, themes, secondary, pub] = await Promise.all([
      storyOf(ctx),
      allThemes(ctx),
      secondaryThemes(ctx),
      insightStore(ctx.db).setting("story_public"),
    ]);
    return page(
      c,
      { title: "The story over time", section: "insights", notice: noticeOf(c) },
      html`<h1>The story over time</h1>
<p><a href="/admin/insights">Insights</a> · ${pub === "1" ? html`<a href="/story">The public page</a>` : "The public page is off"}</p>
${storyBody(story, { admin: true })}
<h2>What you stand for</h2>
<form method="post" action="/admin/insights/story">
  ${csrfField(c)}
  <fieldset><legend>Themes that are secondary (not what you stand for)</legend>
  ${themes.map((t) => html`<label><input type="checkbox" name="secondary" value="${String(t.id)}"${secondary.includes(t.id) ? html` checked` : ""}> ${t.name}</label> `)}
  </fieldset>
  <p class="hint">A post with no theme, or only secondary ones, gets a notice in its editor.</p>
  <label><input type="checkbox" name="public" value="1"${pub === "1" ? html` checked` : ""}> Show the story on the site at /story (the charts by theme and the key posts; no visit counts)</label>
  <button type="submit">Save</button>
</form>`,
    );
  });
  app.post("/insights/story", async (c) => {
    const b = await formBody(c);
    const known = new Set((await allThemes(ctx)).map((t) => t.id));
    const ids = many(b, "secondary")
      .map(Number)
      .filter((id) => known.has(id));
    const store = insightStore(ctx.db);
    await store.setSetting("secondary_themes", JSON.stringify(ids));
    await store.setSetting("story_public", one(b, "public") === "1" ? "1" : "0");
    await contentChanged(ctx); // the public page appears or goes
    return c.redirect("/admin/insights/story?msg=saved", 303);
  });
}
