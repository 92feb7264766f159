/**
 * Server-side autosave of the post editor (issue 12): the editor script posts the title, summary
 * and body every 30 seconds or so while they change. The text goes to one rolling row per post,
 * never into the post itself, so a published post's live page is untouched and the revision
 * history gets no entry per autosave; the next real save (or "Discard") deletes the row.
 */
import { z } from "zod";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import type { Actor } from "../lib/roles.ts";
import { type AutosaveRow, autosaveStore } from "./autosave-store.ts";
import { canEdit } from "./service.ts";
import { postStore } from "./store.ts";

export type { AutosaveRow };

const autosaveSchema = z.object({
  title: z.string().max(300, "title: at most 300 characters"),
  summary: z.string().max(1000, "summary: at most 1000 characters"),
  body: z.string().max(2_000_000, "body: too long (2 MB maximum)"),
});

/** Store the editor's current text as the post's autosave (replacing the previous one). */
export async function autosavePost(
  ctx: AppContext,
  actor: Actor,
  postId: number,
  input: { title: string; summary: string; body: string },
): Promise<AutosaveRow> {
  const post = await postStore(ctx.db).byId(postId);
  if (!post) throw new NotFoundError("That post does not exist (it may have been deleted).");
  if (!canEdit(actor, post)) throw new HttpError(403, "You can only edit your own posts.");
  const r = autosaveSchema.safeParse(input);
  if (!r.success) {
    const message = r.error.issues[0]?.message ?? "invalid";
    throw new ValidationError(message, { field: message.split(":")[0] });
  }
  const row: AutosaveRow = {
    post_id: postId,
    author_id: actor.id,
    title: r.data.title,
    summary: r.data.summary,
    body_md: r.data.body,
    saved_at: ctx.now().toISOString(),
  };
  await autosaveStore(ctx.db).put(row);
  return row;
}

/** The post's autosave when it is newer than the post's last real save, else undefined. */
export async function pendingAutosave(
  ctx: AppContext,
  post: { id: number; updated_at: string },
): Promise<AutosaveRow | undefined> {
  const row = await autosaveStore(ctx.db).byPost(post.id);
  return row && row.saved_at > post.updated_at ? row : undefined;
}

/** Throw away the post's autosave. */
export async function discardAutosave(ctx: AppContext, postId: number): Promise<void> {
  await autosaveStore(ctx.db).delete(postId);
}
