/**
 * A save with "publish" on is a link post on the public site (kind "link": title, blurb as the
 * body, the bookmarked URL and the credit chain). This keeps the two in step: every change to
 * the save rewrites its post, and turning publish off (or deleting the save) deletes the post.
 */

import { type Actor, deletePost, postById, savePost, setLinkTarget } from "../../content/index.ts";
import type { AppContext } from "../../lib/context.ts";
import { NotFoundError } from "../../lib/errors.ts";
import type { Credit } from "./credits.ts";
import { type SaveRow, saveStore } from "./store.ts";

/** Make the site match the save; returns the save as stored afterwards (with its post id). */
export async function syncLinkPost(
  ctx: AppContext,
  actor: Actor,
  save: SaveRow,
  credits: Credit[],
  themeIds: number[],
): Promise<SaveRow> {
  const saves = saveStore(ctx.db);
  if (!save.publish) {
    if (save.post_id === null) return save;
    await removeLinkPost(ctx, actor, save.post_id);
    return saves.update(save.id, { post_id: null });
  }
  const existing = save.post_id !== null ? await postById(ctx, save.post_id) : undefined;
  const post = await savePost(
    ctx,
    actor,
    {
      kind: "link",
      title: save.title,
      summary: "",
      body: save.blurb_md,
      themeIds,
      status: "published",
      // A post published before keeps its date; a new one is published now.
      publishedAt: existing?.status === "published" ? existing.published_at : ctx.now(),
    },
    existing?.id,
    existing ? "Save updated" : "Published from a save",
  );
  await setLinkTarget(ctx, post.id, { url: save.url, credits, saveId: save.id });
  return save.post_id === post.id ? save : saves.update(save.id, { post_id: post.id });
}

/** Delete a save's link post (already gone is fine). */
export async function removeLinkPost(ctx: AppContext, actor: Actor, postId: number): Promise<void> {
  try {
    await deletePost(ctx, actor, postId);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
}
