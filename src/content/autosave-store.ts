/** SQL of the editor's server-side autosaves: one rolling row per post (`post_autosaves`). */
import type { Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { PostAutosavesTable } from "../lib/db/schema.ts";

export type AutosaveRow = Selectable<PostAutosavesTable>;

/** Reads and writes of autosaves. */
export function autosaveStore(db: Db) {
  const k = db.kysely;
  return {
    /** Insert or replace the post's autosave: there is never more than one per post. */
    async put(row: AutosaveRow): Promise<void> {
      const { post_id, ...rest } = row;
      await k
        .insertInto("post_autosaves")
        .values(row)
        .onConflict((oc) => oc.column("post_id").doUpdateSet(rest))
        .execute();
    },

    byPost: (postId: number): Promise<AutosaveRow | undefined> =>
      k.selectFrom("post_autosaves").selectAll().where("post_id", "=", postId).executeTakeFirst(),

    delete: (postId: number) => k.deleteFrom("post_autosaves").where("post_id", "=", postId).execute(),
  };
}
