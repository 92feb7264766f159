/** `liner import markdown`, `liner export markdown` and `liner post publish`: posts as Markdown files. */
import fs from "node:fs";
import path from "node:path";
import { CliError, intFlag, lineWriter, parseCommand, withContext } from "../lib/cli.ts";
import { ValidationError } from "../lib/errors.ts";
import type { CliIo } from "../lib/module.ts";
import { createProgress } from "../lib/progress.ts";
import { publicBaseUrl } from "../lib/settings/base-url.ts";
import type { ImportItem, ImportResult } from "./bulk.ts";
import {
  FrontMatterError,
  type MarkdownPost,
  parseMarkdownFile,
  parseThemesFile,
  themesFileName,
} from "./markdown-files.ts";
import { defaultPoolSize, RenderPool } from "./render-pool.ts";

/** Folders that never hold posts (dependencies, VCS, build output). */
const skipDirs = new Set(["node_modules", "public", "_site", "resources"]);

/** Markdown files under `dir`, sorted, relative to it. Hugo's `_index.md` section pages are not posts. */
export function findMarkdownFiles(dir: string, rel = ""): string[] {
  const found: string[] = [];
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const r = rel ? path.join(rel, e.name) : e.name;
    if (e.isDirectory()) {
      if (!skipDirs.has(e.name)) found.push(...findMarkdownFiles(dir, r));
    } else if (e.isFile() && /\.(md|markdown)$/i.test(e.name) && e.name !== "_index.md") {
      found.push(r);
    }
  }
  return found;
}

/** Turn a parsed file into an import item; Jekyll's `_drafts` folder holds drafts. */
function toItem(post: MarkdownPost, relPath: string, source: string): ImportItem {
  const inDrafts = relPath.split(path.sep).includes("_drafts");
  return {
    kind: post.kind,
    title: post.title,
    slug: post.slug,
    summary: post.summary,
    body: post.body,
    tags: post.tags,
    draft: post.draft || inDrafts,
    date: post.date,
    source,
  };
}

/** The line a validation problem is about, from the field the validator names. */
function lineOf(post: MarkdownPost, field: string): number {
  const l = post.lines;
  const byField: Record<string, number | undefined> = {
    title: l.title,
    slug: l.slug ?? l.title,
    summary: l.summary ?? l.description ?? l.excerpt,
    tags: l.tags ?? l.categories,
    themeIds: l.tags ?? l.categories,
    kind: l.kind ?? l.marp,
    publishedAt: l.date,
    body: post.bodyLine,
  };
  return byField[field] ?? 1;
}

/** `liner import markdown DIR` */
export async function importMarkdown(args: string[], io: CliIo): Promise<number> {
  const out = lineWriter(io.stdout);
  const err = lineWriter(io.stderr);
  const cmd = "import markdown";
  const { values, positionals } = parseCommand(
    cmd,
    args,
    { workers: { type: "string" }, writers: { type: "string" } },
    ["DIR"],
  );
  const workers = intFlag(cmd, "workers", values.workers, 0, 64) ?? defaultPoolSize();
  const writers = intFlag(cmd, "writers", values.writers, 1, 16);
  const dir = positionals[0];
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${dir}: no such folder`);
  const files = findMarkdownFiles(dir);
  const { importPosts, importThemes } = await import("./bulk.ts");
  return withContext(io, async (ctx) => {
    const items: ImportItem[] = [];
    const parsed: MarkdownPost[] = [];
    const problems: string[] = [];
    // An export from Liner Notes carries its themes' descriptions and order.
    const themesFile = path.join(dir, themesFileName);
    if (fs.existsSync(themesFile)) {
      try {
        await importThemes(ctx, parseThemesFile(fs.readFileSync(themesFile, "utf8")));
      } catch (e) {
        if (!(e instanceof FrontMatterError || e instanceof ValidationError)) throw e;
        problems.push(`${themesFile}:${e instanceof FrontMatterError ? `${e.line}: ${e.reason}` : `1: ${e.message}`}`);
      }
    }
    const reading = createProgress("Reading  ", files.length, io.stderr);
    files.forEach((rel, i) => {
      const source = path.join(dir, rel);
      try {
        const post = parseMarkdownFile(fs.readFileSync(source, "utf8"), rel);
        items.push(toItem(post, rel, source));
        parsed.push(post);
      } catch (e) {
        if (!(e instanceof FrontMatterError)) throw e;
        problems.push(`${source}:${e.line}: ${e.reason}`);
      }
      if (i % 100 === 99) reading.update(i + 1);
    });
    reading.update(files.length);
    reading.finish();

    const importing = createProgress("Importing", items.length, io.stderr);
    // Worker threads pay off only for a large import; a few files render faster than a worker starts.
    const pool = items.length >= 200 && workers > 0 ? new RenderPool(workers) : undefined;
    let result: ImportResult;
    try {
      result = await importPosts(ctx, items, {
        note: "Imported from Markdown",
        onProgress: (n) => importing.update(n),
        render: pool?.render,
        renderAhead: pool ? 4 : 0,
        writers,
      });
    } finally {
      importing.finish();
      await pool?.close();
    }
    for (const f of result.failed) problems.push(`${f.source}:${lineOf(parsed[f.index], f.field)}: ${f.message}`);
    for (const p of problems) err(p);
    const failed = problems.length;
    out(`imported ${result.imported}, updated ${result.updated}, unchanged ${result.unchanged}, failed ${failed}`);
    return failed > 0 ? 1 : 0;
  });
}

/** `liner export markdown DIR` */
export async function exportMarkdown(args: string[], io: CliIo): Promise<number> {
  const out = lineWriter(io.stdout);
  const cmd = "export markdown";
  const { positionals } = parseCommand(cmd, args, {}, ["DIR"]);
  const dir = positionals[0];
  const { writePostFiles } = await import("./export-part.ts");
  return withContext(io, async (ctx) => {
    fs.mkdirSync(dir, { recursive: true });
    const count = await writePostFiles(ctx, async (name, text) => fs.writeFileSync(path.join(dir, name), text));
    out(`exported ${count} post${count === 1 ? "" : "s"} to ${dir}`);
    return 0;
  });
}

/** `liner post publish FILE.md` */
export async function postPublish(args: string[], io: CliIo): Promise<number> {
  const out = lineWriter(io.stdout);
  const err = lineWriter(io.stderr);
  const cmd = "post publish";
  const { positionals } = parseCommand(cmd, args, {}, ["FILE"]);
  const file = positionals[0];
  if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) throw new CliError(`${file}: no such file`);
  let post: MarkdownPost;
  try {
    post = parseMarkdownFile(fs.readFileSync(file, "utf8"), file);
  } catch (e) {
    if (e instanceof FrontMatterError) throw new CliError(`${file}:${e.line}: ${e.reason}`);
    throw e;
  }
  const { importPosts } = await import("./bulk.ts");
  const { postPath } = await import("./service.ts");
  const { announce } = await import("./announce.ts");
  const { postStore } = await import("./store.ts");
  return withContext(io, async (ctx) => {
    const before = await postStore(ctx.db).bySlug(post.slug);
    const result = await importPosts(ctx, [toItem(post, file, file)], { note: "Published from the command line" });
    const failure = result.failed[0];
    if (failure) throw new CliError(`${file}:${lineOf(post, failure.field)}: ${failure.message}`);
    const saved = result.posts[0];
    // One post published by hand, unlike a blog's import: followers and linked sites are told
    // (Webmentions, the fediverse), as when the editor publishes.
    if (saved.outcome !== "unchanged") await announce(ctx, postPath, before, await postStore(ctx.db).byId(saved.id));
    const what =
      saved.status === "draft"
        ? "saved as a draft"
        : saved.status === "scheduled"
          ? `scheduled for ${post.date?.toISOString()}`
          : "published";
    err(
      `${saved.outcome === "imported" ? "Created" : saved.outcome === "updated" ? "Updated" : "Unchanged"}, ${what}:`,
    );
    const base = await publicBaseUrl(ctx);
    out(`${base.url}${postPath(saved)}`);
    // On stderr: stdout stays the one URL, for scripts.
    if (base.note) err(base.note);
    return 0;
  });
}
