/**
 * Test support for digests: a followed feed on a loopback server whose items credit their own
 * source, polled and saved through the real reader, so a draft has themed saves with credit chains.
 */

import { saveTheme, systemActor } from "../content/testing.ts";
import type { AppContext } from "../lib/context.ts";
import {
  createSave,
  type FeedServer,
  feedServer,
  followSource,
  pollNow,
  proposalForItem,
  rss,
} from "../reader/testing.ts";

export interface SavedWorld {
  server: FeedServer;
  themes: { leadership: number; craft: number };
  saveIds: number[];
}

/** Follow a feed of three items, poll it, and save each item with a blurb and a theme. */
export async function savedFromFeed(ctx: AppContext): Promise<SavedWorld> {
  const server = await feedServer();
  server.route("/feed.xml", {
    body: rss({
      title: "Field Notes",
      link: server.url("/"),
      items: [
        {
          id: "a",
          title: "Meetings that decide",
          link: "https://essays.example/meetings",
          description: '<p>Found via <a href="https://bea.example/">Bea Lin</a>.</p>',
        },
        { id: "b", title: "Writing for executives", link: "https://essays.example/execs" },
        { id: "c", title: "Tools of the trade", link: "https://tools.example/kit" },
      ],
    }),
  });
  const leadership = (await saveTheme(ctx, { name: "Leadership" })).id;
  const craft = (await saveTheme(ctx, { name: "Craft" })).id;
  const followed = await followSource(ctx, server.url("/feed.xml"));
  await pollNow(ctx, followed.source.id);
  const items = await ctx.db.kysely.selectFrom("items").select(["id", "title"]).orderBy("id").execute();
  const saveIds: number[] = [];
  const themeOf: Record<string, number> = { "Meetings that decide": leadership, "Writing for executives": leadership };
  for (const item of items) {
    const p = await proposalForItem(ctx, item.id);
    if (!p) throw new Error(`no proposal for item ${item.id}`);
    const r = await createSave(
      ctx,
      systemActor,
      {
        url: p.url,
        title: p.title,
        blurb: `Why **${p.title}** matters.`,
        credits: p.credits,
        themeIds: [themeOf[p.title] ?? craft],
        itemId: p.itemId,
      },
      { fetch: false },
    );
    saveIds.push(r.save.id);
  }
  return { server, themes: { leadership, craft }, saveIds };
}

// Re-exported for other modules' tests.
export { draftDigest } from "./compose.ts";
export { digestStore } from "./store.ts";
