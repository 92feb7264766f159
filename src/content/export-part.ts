/**
 * The content module's parts of the site export (`liner export all`): every post as Markdown with
 * front matter (the files `liner export markdown` writes, so `liner import markdown` reads them
 * back), the uploaded media files with an index of them, and the site's identity.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { AppContext } from "../lib/context.ts";
import type { ExportPart } from "../lib/module.ts";
import { themesFileName, toMarkdownFile, toThemesFile } from "./markdown-files.ts";
import { mediaDir, variantsOf } from "./media.ts";
import { type MediaRow, mediaStore } from "./media-store.ts";
import { getSiteSettings } from "./settings.ts";
import { postStore, themeStore } from "./store.ts";

const PAGE = 500;

/**
 * Every post (pages and drafts too) as `<slug>.md`, and the themes as `_themes.yaml`, handed to
 * `write` one file at a time. Returns the number of posts.
 */
export async function writePostFiles(
  ctx: AppContext,
  write: (name: string, text: string) => Promise<void>,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<number> {
  await write(themesFileName, toThemesFile(await themeStore(ctx.db).all()));
  const posts = postStore(ctx.db);
  const total = await posts.count({});
  let count = 0;
  for (let offset = 0; ; offset += PAGE) {
    const page = await posts.list({ limit: PAGE, offset });
    if (!page.length) break;
    const themes = await posts.themesOf(page.map((p) => p.id));
    for (const p of page) {
      const tags = (themes.get(p.id) ?? []).map((t) => t.name);
      await write(`${p.slug}.md`, toMarkdownFile({ ...p, tags }));
      onProgress(++count, Math.max(total, count));
    }
  }
  return count;
}

/** Every media row, oldest first (metadata only: small even for thousands of files). */
async function allMedia(ctx: AppContext): Promise<MediaRow[]> {
  const rows: MediaRow[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await mediaStore(ctx.db).list({ limit: PAGE, offset });
    rows.push(...page);
    if (page.length < PAGE) return rows.reverse();
  }
}

const exists = (file: string) =>
  fs.stat(file).then(
    (st) => st.isFile(),
    () => false,
  );

const posts: ExportPart = {
  path: "posts/",
  describe:
    "Every post (drafts and pages too), one Markdown file per post named by its slug, with YAML front matter: " +
    "title, date, slug, kind, draft, summary and tags (its themes). _themes.yaml lists the themes with their " +
    "descriptions. `liner import markdown posts` reads the folder back. Images in posts point at /media/FILE: " +
    "the same FILE is in media/.",
  noun: ["post", "posts"],
  write: (ctx, sink) =>
    writePostFiles(
      ctx,
      (name, text) => sink.file(`posts/${name}`, text),
      (done, total) => sink.progress(done, total),
    ),
};

const media: ExportPart = {
  path: "media/",
  describe:
    "Every uploaded file: the images in each size the site serves (WebP, and the original format re-encoded " +
    "without metadata) and PDF slides. _media.json lists each upload: its original name, type, alt text, " +
    "size in pixels, upload time and its files (and `missing`: files that were no longer on the server's disk).",
  noun: ["upload", "uploads"],
  async write(ctx, sink) {
    const rows = await allMedia(ctx);
    const dir = mediaDir(ctx);
    const index = [];
    let done = 0;
    for (const r of rows) {
      const files = variantsOf(r);
      const missing: string[] = [];
      // Only the files a row lists: nothing else in the folder is the site's media. A file lost
      // from the disk is named in the index rather than failing the whole export.
      for (const v of files) {
        const from = path.join(dir, v.file);
        if (await exists(from)) await sink.copy(`media/${v.file}`, from);
        else missing.push(v.file);
      }
      index.push({
        id: r.id,
        original_name: r.original_name,
        mime: r.mime,
        alt: r.alt,
        width: r.width,
        height: r.height,
        created_at: r.created_at,
        files,
        ...(missing.length ? { missing } : {}),
      });
      sink.progress(++done, rows.length);
    }
    await sink.file("media/_media.json", `${JSON.stringify(index, null, 2)}\n`);
    return rows.length;
  },
};

const site: ExportPart = {
  path: "site.json",
  describe:
    "The site's identity as JSON: title, description, language and the author's profile (name, photo, bio, " +
    "location, email and links).",
  noun: ["file", "files"],
  async write(ctx, sink) {
    await sink.file("site.json", `${JSON.stringify(await getSiteSettings(ctx), null, 2)}\n`);
    return 1;
  },
};

/** The content module's export parts. */
export const contentExports: ExportPart[] = [site, posts, media];
