/**
 * The first-run onboarding the content module runs for the admin home: its checklist items (name
 * and photo, themes, first post), its part of the demo content (posts, themes, media) with a
 * snapshot for undo, and the whole-site actions that gather every module's parts through
 * `ctx.host` (no module imports another for this): the checklist, "Remove the demo content"
 * and "Undo", and dismissing the checklist.
 */
import type { AppContext } from "../lib/context.ts";
import { transaction } from "../lib/db/transaction.ts";
import type { ChecklistItem, DemoContent } from "../lib/module.ts";
import { demoThemes } from "./demo.ts";
import { isDemoIdentity } from "./demo-identity.ts";
import { type DemoRows, demoStore } from "./demo-store.ts";
import { contentChanged } from "./service.ts";
import { getSiteSettings } from "./settings.ts";

/** The content module's checklist items. */
export async function contentChecklist(ctx: AppContext): Promise<ChecklistItem[]> {
  const store = demoStore(ctx.db);
  const [s, themes, ownPost] = await Promise.all([getSiteSettings(ctx), store.allThemes(), store.hasOwnPost()]);
  const demo = new Map(demoThemes().map((t) => [t.slug, t.description]));
  const named = !isDemoIdentity(s) && s.author.name !== "";
  const missing = [named ? "" : "your name and site title", s.author.photoUrl ? "" : "a photo"].filter(Boolean);
  return [
    {
      id: "identity",
      label: "Set your name and photo",
      href: "/admin/settings",
      done: missing.length === 0,
      detail: missing.length ? `Still to add: ${missing.join(" and ")}.` : undefined,
      order: 10,
    },
    {
      id: "themes",
      label: "Choose your themes",
      href: "/admin/themes",
      // A theme the demo did not add, or one of the demo's rewritten, is the owner's choice.
      done: themes.some((t) => demo.get(t.slug) !== t.description),
      order: 20,
    },
    { id: "first-post", label: "Write your first post", href: "/admin/posts/new", done: ownPost, order: 30 },
  ];
}

/** The content module's demo content: untouched demo posts, and the demo's themes and media they leave unused. */
export const contentDemo: DemoContent = {
  async remove(ctx) {
    const store = demoStore(ctx.db);
    const postIds = await store.untouchedDemoPostIds();
    const demo = demoThemes();
    const themes = (
      await store.unusedThemes(
        demo.map((t) => t.slug),
        postIds,
      )
    ).filter((t) => demo.some((d) => d.slug === t.slug && d.description === t.description));
    const media = await store.mediaOnlyOf(postIds);
    if (postIds.length + themes.length + media.length === 0) return undefined;
    const rows: DemoRows = { ...(await store.postRows(postIds)), themes, media };
    for (const id of postIds) await ctx.jobs.cancel(`publish:${id}`);
    await store.deleteRows(
      postIds,
      themes.map((t) => t.id),
      media.map((m) => m.id),
    );
    await contentChanged(ctx);
    return rows;
  },

  async restore(ctx, snapshot) {
    const rows = snapshot as DemoRows;
    const store = demoStore(ctx.db);
    const taken = await store.takenSlugs();
    // What the owner made meanwhile wins: a demo post or theme whose slug is taken stays away,
    // and the demo's posts are filed under the owner's theme of that slug instead.
    const themeId = new Map<number, number>();
    const themes = rows.themes.filter((t) => {
      const existing = taken.themes.get(t.slug);
      if (existing !== undefined) themeId.set(t.id, existing);
      return existing === undefined;
    });
    const posts = rows.posts.filter((p) => !taken.posts.has(p.slug));
    const kept = new Set(posts.map((p) => p.id));
    await store.insertRows({
      themes,
      media: rows.media,
      posts,
      postThemes: rows.postThemes
        .filter((pt) => kept.has(pt.post_id))
        .map((pt) => ({ post_id: pt.post_id, theme_id: themeId.get(pt.theme_id) ?? pt.theme_id })),
      revisions: rows.revisions.filter((r) => kept.has(r.post_id)),
      redirects: rows.redirects.filter((r) => kept.has(r.post_id)),
    });
    await contentChanged(ctx);
  },
};

/** The admin home's checklist: every module's items, whether it is dismissed, and whether a demo removal can be undone. */
export async function onboardingState(
  ctx: AppContext,
): Promise<{ items: ChecklistItem[]; dismissed: boolean; canUndo: boolean }> {
  const [items, state] = await Promise.all([ctx.host.checklist(ctx), demoStore(ctx.db).state()]);
  return { items, dismissed: state.dismissedAt !== null, canUndo: state.demoRemoved !== null };
}

/** Remove every module's demo content in one transaction; false when there was none. */
export async function removeDemoContent(ctx: AppContext): Promise<boolean> {
  return transaction(ctx, async (tx) => {
    const snapshots = await tx.host.removeDemo(tx);
    if (Object.keys(snapshots).length === 0) return false;
    await demoStore(tx.db).setDemoRemoved(JSON.stringify(snapshots));
    return true;
  });
}

/** Put back what the last removal took; false when there is nothing to undo. */
export async function undoDemoRemoval(ctx: AppContext): Promise<boolean> {
  return transaction(ctx, async (tx) => {
    const { demoRemoved } = await demoStore(tx.db).state();
    if (!demoRemoved) return false;
    await tx.host.restoreDemo(tx, JSON.parse(demoRemoved) as Record<string, unknown>);
    await demoStore(tx.db).setDemoRemoved(null);
    return true;
  });
}

/** Hide (or show again) the checklist on the admin home. */
export async function dismissChecklist(ctx: AppContext, dismissed: boolean): Promise<void> {
  await demoStore(ctx.db).setDismissed(dismissed ? ctx.now().toISOString() : null);
}
