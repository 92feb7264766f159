/** Test support of the content module for other modules' tests. */
import type { AppContext } from "../lib/context.ts";

export { seedDemo } from "./demo.ts";
export { mediaUrl, pickVariant, saveUpload } from "./media.ts";
export { savePost, systemActor } from "./service.ts";
export { postStore, themeStore } from "./store.ts";
export { saveTheme } from "./themes.ts";

/**
 * A media row for a 1600×900 JPEG cover named `key`, with WebP variants at `widths` and the
 * JPEG itself (no files on disk: for pages and emails that only print its URLs). Returns its id.
 */
export async function addCoverRow(ctx: AppContext, key: string, widths: number[] = [640]): Promise<number> {
  const variants = [
    ...widths.map((width) => ({ width, file: `${key}-${width}.webp`, mime: "image/webp" })),
    { width: 1600, file: `${key}.jpg`, mime: "image/jpeg" },
  ];
  const row = await ctx.db.kysely
    .insertInto("media")
    .values({
      key,
      original_name: `${key}.jpg`,
      mime: "image/jpeg",
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
