/** Test support of the content module for other modules' tests. */
import type { AppContext } from "../lib/context.ts";
import { savePost, systemActor } from "./service.ts";
import { themeStore } from "./store.ts";
import { saveTheme } from "./themes.ts";

export { seedDemo } from "./demo.ts";
export { mediaUrl, pickVariant, saveUpload } from "./media.ts";
export { savePost, systemActor } from "./service.ts";
export { postStore, themeStore } from "./store.ts";
export { saveTheme } from "./themes.ts";

/**
 * A media row of a 1600×900 file (no file on disk: for pages and emails that only print its
 * URLs), with the given variants. Returns its id.
 */
export async function addMediaRow(ctx: AppContext, key: string, mime: string, variants: unknown[]): Promise<number> {
  const row = await ctx.db.kysely
    .insertInto("media")
    .values({
      key,
      original_name: `${key}.bin`,
      mime,
      bytes: 1000,
      width: 1600,
      height: 900,
      variants: JSON.stringify(variants),
      uploader_id: null,
      created_at: ctx.now().toISOString(),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A JPEG cover named `key` (see addMediaRow), with WebP variants at `widths` and the JPEG itself. */
export function addCoverRow(ctx: AppContext, key: string, widths: number[] = [640]): Promise<number> {
  return addMediaRow(ctx, key, "image/jpeg", [
    ...widths.map((width) => ({ width, file: `${key}-${width}.webp`, mime: "image/webp" })),
    { width: 1600, file: `${key}.jpg`, mime: "image/jpeg" },
  ]);
}

/** A published article on a theme (made when missing): the usual fixture of other modules' tests. */
export async function publishedPost(ctx: AppContext, slug: string, title = slug): Promise<{ id: number }> {
  const theme =
    (await themeStore(ctx.db).all()).find((t) => t.slug === "craft") ??
    (await saveTheme(ctx, { name: "Craft", slug: "craft" }));
  return savePost(ctx, systemActor, {
    kind: "article",
    title,
    slug,
    body: "Text.",
    themeIds: [theme.id],
    status: "published",
  });
}
