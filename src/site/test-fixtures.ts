/** Test helper: a small site (settings, two themes, posts of each kind, a draft) on a test context. */

import { type PostRow, savePost, saveSiteSettings, saveTheme, systemActor, type ThemeRow } from "../content/index.ts";
import type { TestContext } from "../lib/testing.ts";

export interface Seeded {
  web: ThemeRow;
  music: ThemeRow;
  article: PostRow;
  deck: PostRow;
  draft: PostRow;
  about: PostRow;
}

/** Seed a site; the clock is fixed so dates are predictable. */
export async function seedSite(ctx: TestContext): Promise<Seeded> {
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  await saveSiteSettings(ctx, {
    title: "Ada's Notes",
    description: "Essays on the social web",
    language: "en",
    author: {
      name: "Ada Lovelace",
      photoUrl: "https://example.org/ada.jpg",
      location: "London",
      bio: "Writes about engines.",
      links: [{ label: "Mastodon", url: "https://social.example/@ada" }],
    },
  });
  const web = await saveTheme(ctx, { name: "Social web", description: "Federation, feeds and friends." });
  const music = await saveTheme(ctx, { name: "Music", description: "Records and the people on them." });
  ctx.setNow(new Date("2025-06-01T10:00:00Z"));
  const article = await savePost(ctx, systemActor, {
    title: "Liner notes matter",
    summary: "Why credits count",
    body: "Album liner notes credited the session musicians.\n\n[About](/about) and ![cover](/media/pic-800.webp)",
    status: "published",
    themeIds: [web.id, music.id],
  });
  ctx.setNow(new Date("2026-01-10T10:00:00Z"));
  const deck = await savePost(ctx, systemActor, {
    kind: "presentation",
    title: "Federation in ten slides",
    body: "# Federation\n\nservers talk\n\n---\n\n## Inboxes\n\nactivities arrive\n\n---\n\n## Thanks",
    status: "published",
    themeIds: [web.id],
  });
  const draft = await savePost(ctx, systemActor, {
    title: "Secret draft",
    body: "unfinished musicians thoughts",
    themeIds: [web.id],
  });
  const about = await savePost(ctx, systemActor, {
    kind: "page",
    title: "About",
    slug: "about",
    body: "I write about engines.",
    status: "published",
  });
  ctx.setNow(new Date("2026-03-01T10:00:00Z"));
  return { web, music, article, deck, draft, about };
}
