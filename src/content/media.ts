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
import { inUploadQueue } from "./upload-queue.ts";

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
 * Store an uploaded file. Throws HttpError 413 (too large), 400 (over MAX_PIXELS) or 415 (not an
 * accepted type), each naming the file. Storage failures (a full disk, a read-only folder or
 * database) are thrown as they are, with nothing kept; the app reports them (503).
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
  const image = await sniffImage(buf);
  if (!image || accept === "pdf") {
    const wanted =
      accept === "pdf"
        ? "a PDF"
        : accept === "image"
          ? "a JPEG, PNG, WebP, GIF or AVIF image"
          : "a JPEG, PNG, WebP, GIF or AVIF image, or a PDF";
    throw new HttpError(415, `"${name}" is not ${wanted}, so it was not uploaded.`);
  }
  checkPixels(name, image);
  return saveImage(ctx, name, buf, image.format, uploaderId);
}

/**
 * Largest image accepted, in pixels (all frames of an animation together). Decoding needs about
 * four bytes a pixel whatever the file's size: a 311 KB PNG of 10,000×10,000 took 114 MB.
 */
export const MAX_PIXELS = 40_000_000;

interface Sniffed {
  format: keyof typeof IMAGE_FORMATS;
  width: number;
  height: number;
  /** Frames of an animated GIF or WebP (1 otherwise). */
  frames: number;
}

/** The image's format and size from its header (nothing is decoded), or null if it isn't one we accept. */
async function sniffImage(buf: Buffer): Promise<Sniffed | null> {
  try {
    const m = await sharp(buf).metadata();
    const format = m.format === "heif" ? (m.compression === "av1" ? "avif" : null) : m.format;
    if (!format || !(format in IMAGE_FORMATS)) return null;
    const animated = format === "gif" || format === "webp";
    return {
      format: format as keyof typeof IMAGE_FORMATS,
      width: m.width ?? 0,
      height: m.height ?? 0,
      frames: animated ? (m.pages ?? 1) : 1,
    };
  } catch {
    return null;
  }
}

/** Refuse an image too large to decode (HttpError 400 naming the file, its size and the limit). */
function checkPixels(name: string, { width, height, frames }: Sniffed): void {
  const pixels = width * height * frames;
  if (pixels <= MAX_PIXELS) return;
  // Rounded up, so an image just over the limit never reads as "40 megapixels".
  const mp = (n: number) => String(Math.ceil(n / 100_000) / 10);
  const frameNote = frames > 1 ? ` with ${frames} frames` : "";
  throw new HttpError(
    400,
    `"${name}" is ${width}×${height}${frameNote} (${mp(pixels)} megapixels); the limit is ${mp(MAX_PIXELS)} megapixels. Use a smaller image.`,
  );
}

/** One file of an upload, encoded and not yet written. */
interface Encoded {
  file: string;
  data: Buffer;
  width: number;
  mime: string;
}

/**
 * Decode and resize in the upload queue (two at a time per process). Any failure here is the
 * image's: it is reported as unreadable (415). Writing comes after, so that a full disk or a
 * read-only folder is reported as what it is.
 */
function encodeImage(name: string, key: string, buf: Buffer, format: keyof typeof IMAGE_FORMATS) {
  return inUploadQueue(async () => {
    const animated = format === "gif" || format === "webp";
    const source = () => sharp(buf, { animated, limitInputPixels: MAX_PIXELS }).rotate();
    const { ext, mime } = IMAGE_FORMATS[format];
    try {
      // The original, re-encoded: this drops EXIF (location!) and other metadata.
      const original = await source()
        .toFormat(format as keyof FormatEnum)
        .toBuffer({ resolveWithObject: true });
      const width = original.info.width;
      const height = original.info.pageHeight ?? original.info.height;
      const files: Encoded[] = [];
      for (const w of VARIANT_WIDTHS) {
        if (w >= width) break;
        const data = await source().resize({ width: w }).webp({ quality: 80 }).toBuffer();
        files.push({ file: `${key}-${w}.webp`, data, width: w, mime: "image/webp" });
      }
      files.push({ file: `${key}.${ext}`, data: original.data, width, mime });
      return { files, width, height };
    } catch (err) {
      throw new HttpError(415, `"${name}" could not be read as an image.`, { cause: err });
    }
  });
}

/**
 * Write a media file. A failed write() carries no path, so it is added: a full disk is then
 * reported as "the disk holding ./data is full" (lib/db/storage-errors.ts).
 */
async function writeMediaFile(dir: string, file: string, data: Buffer): Promise<void> {
  const target = path.join(dir, file);
  try {
    await fs.writeFile(target, data);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e === "object" && !e.path) e.path = target;
    throw err;
  }
}

/** Write `files`, then run `insert`; on any failure remove what was written. */
async function writeAll<T>(dir: string, files: { file: string; data: Buffer }[], insert: () => Promise<T>): Promise<T> {
  const written: string[] = [];
  try {
    await fs.mkdir(dir, { recursive: true });
    for (const f of files) {
      written.push(f.file); // a half-written file is removed too
      await writeMediaFile(dir, f.file, f.data);
    }
    return await insert();
  } catch (err) {
    await Promise.all(written.map((f) => fs.rm(path.join(dir, f), { force: true }).catch(() => {})));
    throw err;
  }
}

async function saveImage(
  ctx: AppContext,
  originalName: string,
  buf: Buffer,
  format: keyof typeof IMAGE_FORMATS,
  uploaderId: number | null,
): Promise<MediaRow> {
  const key = newKey(originalName);
  const { files, width, height } = await encodeImage(originalName, key, buf, format);
  const original = files[files.length - 1];
  const variants: MediaVariant[] = files.map((f) => ({ width: f.width, file: f.file, mime: f.mime }));
  return writeAll(mediaDir(ctx), files, () =>
    mediaStore(ctx.db).insert({
      key,
      original_name: originalName.slice(0, 200),
      mime: original.mime,
      bytes: original.data.length,
      width,
      height,
      variants: JSON.stringify(variants),
      uploader_id: uploaderId,
      created_at: ctx.now().toISOString(),
    }),
  );
}

async function savePdf(ctx: AppContext, originalName: string, buf: Buffer, uploaderId: number | null) {
  const key = newKey(originalName);
  const file = `${key}.pdf`;
  return writeAll(mediaDir(ctx), [{ file, data: buf }], () =>
    mediaStore(ctx.db).insert({
      key,
      original_name: originalName.slice(0, 200),
      mime: "application/pdf",
      bytes: buf.length,
      width: null,
      height: null,
      variants: JSON.stringify([{ file, mime: "application/pdf" }]),
      uploader_id: uploaderId,
      created_at: ctx.now().toISOString(),
    }),
  );
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
