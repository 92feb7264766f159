/**
 * Uploaded media: images (JPEG, PNG, WebP, GIF, AVIF, recognised by their bytes, never by name)
 * resized with sharp into responsive WebP variants plus the original re-encoded without metadata,
 * and PDFs of slides. Files live under `<dataDir>/media`; each row lists its files in `variants`,
 * and only those files are ever served.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { FormatEnum } from "sharp";

// sharp (libvips) costs ~25 MB and ~80 ms to load; only uploads need it, so load it on first use.
const require = createRequire(import.meta.url);
type SharpFn = typeof import("sharp").default;
let sharpFn: SharpFn | undefined;
function sharp(input: Buffer, options?: import("sharp").SharpOptions) {
  sharpFn ??= require("sharp") as SharpFn;
  return sharpFn(input, options);
}

import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { type MediaRow, mediaStore } from "./media-store.ts";
import { slugify } from "./slug.ts";

export type { MediaRow };
export interface MediaVariant {
  width?: number;
  file: string;
  mime: string;
}

/** Responsive widths made for images (only those narrower than the original). */
export const VARIANT_WIDTHS = [320, 640, 1024, 1600] as const;

const IMAGE_FORMATS: Record<string, { mime: string; ext: string }> = {
  jpeg: { mime: "image/jpeg", ext: "jpg" },
  png: { mime: "image/png", ext: "png" },
  webp: { mime: "image/webp", ext: "webp" },
  gif: { mime: "image/gif", ext: "gif" },
  avif: { mime: "image/avif", ext: "avif" },
};

/** Folder holding media files. */
export function mediaDir(ctx: AppContext): string {
  return path.join(ctx.config.dataDir, "media");
}

export function variantsOf(row: Pick<MediaRow, "variants">): MediaVariant[] {
  try {
    return JSON.parse(row.variants) as MediaVariant[];
  } catch {
    return [];
  }
}

/** Public URL of a media file. */
export function mediaUrl(file: string): string {
  return `/media/${file}`;
}

/** The best file for a display width: the smallest variant at least that wide, else the largest. */
export function pickVariant(row: MediaRow, width = 640): MediaVariant | undefined {
  const vs = variantsOf(row);
  const sized = vs.filter((v) => v.width).sort((a, b) => (a.width ?? 0) - (b.width ?? 0));
  return sized.find((v) => (v.width ?? 0) >= width) ?? sized.at(-1) ?? vs[0];
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 1)} MB`;

function tooLarge(ctx: AppContext, name: string, size: number): HttpError {
  return new HttpError(
    413,
    `"${name}" is ${mb(size)}, larger than the ${mb(ctx.config.maxUploadBytes)} upload limit. Use a smaller file.`,
  );
}

/** A storage key from the original name plus randomness (safe characters only). */
function newKey(originalName: string): string {
  const stem = slugify(originalName.replace(/\.[^.]*$/, "")).slice(0, 40) || "file";
  return `${stem}-${randomBytes(5).toString("hex")}`;
}

export interface UploadOptions {
  /** What the caller accepts: images, PDFs, or either. */
  accept?: "image" | "pdf" | "any";
  /** Alt text to store with an image (issue 12). */
  alt?: string;
}

/**
 * Store an uploaded file. Throws HttpError 413 (too large) or 415 (not an accepted type),
 * both naming the file.
 */
export async function saveUpload(
  ctx: AppContext,
  file: File,
  uploaderId: number | null,
  opts: UploadOptions = {},
): Promise<MediaRow> {
  const row = await storeUpload(ctx, file, uploaderId, opts);
  const alt = opts.alt?.trim() ?? "";
  return alt && row.mime.startsWith("image/") ? setMediaAlt(ctx, row.id, alt) : row;
}

/** Alt text is at most this long (a sentence or two; longer descriptions belong in the text). */
export const MAX_ALT = 500;

/** Set an image's alt text. Throws a ValidationError (field `alt`) when it is too long. */
export async function setMediaAlt(ctx: AppContext, id: number, alt: string): Promise<MediaRow> {
  const text = alt.replace(/\s+/g, " ").trim();
  if (text.length > MAX_ALT) throw new ValidationError(`alt: at most ${MAX_ALT} characters`, { field: "alt" });
  const row = await mediaStore(ctx.db).setAlt(id, text);
  if (!row) throw new NotFoundError("That file does not exist.");
  return row;
}

/** The Markdown that shows a media file in a post: an image with its alt text, or a link to a PDF. */
export function markdownOf(row: MediaRow): string {
  const full = pickVariant(row, 100_000);
  const url = full ? mediaUrl(full.file) : "";
  if (!row.mime.startsWith("image/")) return `[${row.original_name.replace(/[[\]]/g, "")}](${url})`;
  return `![${row.alt.replace(/[[\]\n]/g, "")}](${url})`;
}

async function storeUpload(ctx: AppContext, file: File, uploaderId: number | null, opts: UploadOptions) {
  const name = file.name || "upload";
  const max = ctx.config.maxUploadBytes;
  if (file.size > max) throw tooLarge(ctx, name, file.size);
  const buf = Buffer.from(await file.arrayBuffer());
  if (buf.length > max) throw tooLarge(ctx, name, buf.length);
  const accept = opts.accept ?? "any";
  if (buf.subarray(0, 5).toString("latin1") === "%PDF-") {
    if (accept === "image") throw new HttpError(415, `"${name}" is a PDF; choose an image here.`);
    return savePdf(ctx, name, buf, uploaderId);
  }
  const format = await sniffImage(buf);
  if (!format || accept === "pdf") {
    const wanted =
      accept === "pdf"
        ? "a PDF"
        : accept === "image"
          ? "a JPEG, PNG, WebP, GIF or AVIF image"
          : "a JPEG, PNG, WebP, GIF or AVIF image, or a PDF";
    throw new HttpError(415, `"${name}" is not ${wanted}, so it was not uploaded.`);
  }
  return saveImage(ctx, name, buf, format, uploaderId);
}

/** The image format from the bytes, or null if sharp can't read it or it isn't one we accept. */
async function sniffImage(buf: Buffer): Promise<keyof typeof IMAGE_FORMATS | null> {
  try {
    const m = await sharp(buf).metadata();
    if (m.format === "heif") return m.compression === "av1" ? "avif" : null;
    return m.format && m.format in IMAGE_FORMATS ? (m.format as keyof typeof IMAGE_FORMATS) : null;
  } catch {
    return null;
  }
}

async function saveImage(
  ctx: AppContext,
  originalName: string,
  buf: Buffer,
  format: keyof typeof IMAGE_FORMATS,
  uploaderId: number | null,
): Promise<MediaRow> {
  const dir = mediaDir(ctx);
  await fs.mkdir(dir, { recursive: true });
  const key = newKey(originalName);
  const animated = format === "gif" || format === "webp";
  const source = () => sharp(buf, { animated, limitInputPixels: 100_000_000 }).rotate();
  const { ext, mime } = IMAGE_FORMATS[format];
  const written: string[] = [];
  try {
    // The original, re-encoded: this drops EXIF (location!) and other metadata.
    const originalFile = `${key}.${ext}`;
    const info = await source()
      .toFormat(format as keyof FormatEnum)
      .toFile(path.join(dir, originalFile));
    written.push(originalFile);
    const width = info.width;
    const height = info.pageHeight ?? info.height;
    const variants: MediaVariant[] = [];
    for (const w of VARIANT_WIDTHS) {
      if (w >= width) break;
      const file = `${key}-${w}.webp`;
      await source().resize({ width: w }).webp({ quality: 80 }).toFile(path.join(dir, file));
      written.push(file);
      variants.push({ width: w, file, mime: "image/webp" });
    }
    variants.push({ width, file: originalFile, mime });
    const bytes = (await fs.stat(path.join(dir, originalFile))).size;
    return await mediaStore(ctx.db).insert({
      key,
      original_name: originalName.slice(0, 200),
      mime,
      bytes,
      width,
      height,
      variants: JSON.stringify(variants),
      uploader_id: uploaderId,
      created_at: ctx.now().toISOString(),
    });
  } catch (err) {
    await Promise.all(written.map((f) => fs.rm(path.join(dir, f), { force: true })));
    if (err instanceof HttpError) throw err;
    throw new HttpError(415, `"${originalName}" could not be read as an image.`, { cause: err });
  }
}

async function savePdf(ctx: AppContext, originalName: string, buf: Buffer, uploaderId: number | null) {
  const dir = mediaDir(ctx);
  await fs.mkdir(dir, { recursive: true });
  const key = newKey(originalName);
  const file = `${key}.pdf`;
  await fs.writeFile(path.join(dir, file), buf);
  return mediaStore(ctx.db).insert({
    key,
    original_name: originalName.slice(0, 200),
    mime: "application/pdf",
    bytes: buf.length,
    width: null,
    height: null,
    variants: JSON.stringify([{ file, mime: "application/pdf" }]),
    uploader_id: uploaderId,
    created_at: ctx.now().toISOString(),
  });
}

/** Uploaded media, newest first; `type` picks images or PDFs. */
export function listMedia(ctx: AppContext, o: { type?: "image" | "pdf"; limit?: number; offset?: number } = {}) {
  return mediaStore(ctx.db).list(o);
}

/** A media row by id, or undefined. */
export function mediaById(ctx: AppContext, id: number): Promise<MediaRow | undefined> {
  return mediaStore(ctx.db).byId(id);
}

/** Delete a media row and its files. Posts using it lose their cover/PDF (ON DELETE SET NULL). */
export async function deleteMedia(ctx: AppContext, id: number): Promise<void> {
  const row = await mediaById(ctx, id);
  if (!row) throw new NotFoundError(`Media ${id} not found`);
  await mediaStore(ctx.db).delete(id);
  await Promise.all(variantsOf(row).map((v) => fs.rm(path.join(mediaDir(ctx), v.file), { force: true })));
}

/** Only plain file names we could have made: no separators, no dot-dot, no hidden files. */
const SAFE_NAME = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)$/;

/**
 * Resolve a requested file name to a stored file, or null. The name must be listed in a media
 * row's variants, so nothing else in the folder (or outside it) can be reached.
 */
export async function findMediaFile(
  ctx: AppContext,
  name: string,
): Promise<{ path: string; mime: string; row: MediaRow } | null> {
  if (!SAFE_NAME.test(name)) return null;
  const stem = name.slice(0, name.lastIndexOf("."));
  const keys = [stem];
  const sized = /^(.*)-\d+$/.exec(stem);
  if (sized) keys.push(sized[1]);
  const rows = await mediaStore(ctx.db).byKeys(keys);
  for (const row of rows) {
    const v = variantsOf(row).find((x) => x.file === name);
    if (v) return { path: path.join(mediaDir(ctx), v.file), mime: v.mime, row };
  }
  return null;
}
