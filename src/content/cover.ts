/**
 * A post's cover image for places outside the site's pages (the new-post email): one file that
 * every mail client can show, its size and its alt text.
 */

import path from "node:path";
import type { AppContext } from "../lib/context.ts";
import { mediaDir, mediaUrl, variantsOf } from "./media.ts";
import { mediaStore } from "./media-store.ts";
import type { PostRow } from "./store.ts";

export interface CoverImage {
  /** Path of the file (`/media/…`); callers make it absolute. */
  src: string;
  /** The file on disk (for uploads elsewhere: a Bluesky link card's thumbnail). */
  file: string;
  mime?: string;
  width?: number;
  height?: number;
  alt: string;
}

/**
 * The cover of a post, or undefined. A JPEG, PNG or GIF rather than WebP where there is one
 * (Outlook and older clients show no WebP); the narrowest at least `width` wide, else the
 * widest. The alt text is the cover's own (set in the editor), else the image's from Media, else
 * the post's title.
 */
export async function coverImageOf(
  ctx: AppContext,
  post: Pick<PostRow, "cover_media_id" | "title"> & Partial<Pick<PostRow, "cover_alt">>,
  width = 1200,
): Promise<CoverImage | undefined> {
  if (!post.cover_media_id) return undefined;
  const row = await mediaStore(ctx.db).byId(post.cover_media_id);
  if (!row?.mime.startsWith("image/")) return undefined;
  const vs = variantsOf(row).filter((v) => v.file);
  const plain = vs.filter((v) => v.mime && v.mime !== "image/webp" && v.mime !== "image/avif");
  const pool = (plain.length ? plain : vs).sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  const v = pool.find((x) => (x.width ?? 0) >= width) ?? pool.at(-1);
  const src = v?.file ? mediaUrl(v.file) : undefined;
  if (!src || !v?.file) return undefined;
  const w = v?.width;
  const height = w && row.width && row.height ? Math.round((w * row.height) / row.width) : undefined;
  const file = path.join(mediaDir(ctx), v.file);
  return { src, file, mime: v.mime ?? row.mime, width: w, height, alt: post.cover_alt || row.alt || post.title };
}
