/**
 * Permanent feed ids for posts (issue 12): the Atom <id>, RSS <guid> and JSON Feed id used to be
 * the post's URL, so renaming a slug made every feed reader show the post again. `feed_id` keeps
 * the id a post was published with. Posts already published keep the URL they went out with,
 * frozen here as a path (the migration does not know the base URL; the feeds resolve it against
 * it, which is what the old code did). Other posts get a tag URI when first published or
 * scheduled (until then NULL: derived from the post's id and creation date, never its slug).
 */
import { type Kysely, sql } from "kysely";
import type { Dialect } from "../index.ts";

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable("posts").addColumn("feed_id", "text").execute();
  // The path rule of the time (postPath): pages at /SLUG, everything else at /posts/SLUG.
  await sql`UPDATE posts SET feed_id = CASE WHEN kind = 'page' THEN '/' || slug ELSE '/posts/' || slug END
    WHERE status = 'published'`.execute(db);
}
