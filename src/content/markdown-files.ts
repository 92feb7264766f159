/**
 * Markdown files with YAML front matter, as Hugo, Jekyll and Eleventy write them: reading one
 * into a post (with the line of every problem, for `liner import markdown`) and writing a post
 * back out (for `liner export markdown`). Pure: no I/O, no database.
 */
import { isMap, isScalar, LineCounter, parseDocument, stringify } from "yaml";
import type { PostKind, PostStatus } from "../lib/db/schema.ts";
import { isSlug, slugify } from "./slug.ts";

const kinds: readonly PostKind[] = ["article", "presentation", "note", "page", "link"];

/** Eleventy's collection tags name a listing, not a topic; they never become themes. */
const collectionTags = new Set(["post", "posts"]);

/** Marp global directives that live in a deck's front matter; kept in the body so slides render as written. */
const marpDirectives = [
  "theme",
  "paginate",
  "header",
  "footer",
  "size",
  "class",
  "backgroundColor",
  "color",
  "headingDivider",
];

/** A post read from a Markdown file. */
export interface MarkdownPost {
  title: string;
  slug: string;
  kind: PostKind;
  draft: boolean;
  summary: string;
  /** Theme names (tags and categories together, de-duplicated, in file order). */
  tags: string[];
  /** Publication time (UTC), or null when the file has none. */
  date: Date | null;
  body: string;
  /** 1-based line of each front-matter key, for messages about a value. */
  lines: Record<string, number>;
  /** 1-based line where the body starts. */
  bodyLine: number;
}

/** A problem in one file, with the 1-based line it is on. */
export class FrontMatterError extends Error {
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = "FrontMatterError";
    this.line = line;
    this.reason = reason;
  }
}

interface Split {
  yaml: string;
  /** Line of the first YAML line (the one after the opening ---). */
  yamlLine: number;
  body: string;
  bodyLine: number;
}

/** Split `---` front matter from the body. Throws FrontMatterError when the file has none. */
export function splitFrontMatter(text: string): Split {
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = src.split("\n");
  const first = lines[0]?.trimEnd() ?? "";
  if (first === "+++")
    throw new FrontMatterError(1, "TOML front matter (+++) is not supported; use YAML between --- lines");
  if (first !== "---") throw new FrontMatterError(1, "no front matter: the file must start with a --- line");
  const end = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (end < 0) throw new FrontMatterError(1, "front matter is not closed by a --- line");
  return {
    yaml: lines.slice(1, end).join("\n"),
    yamlLine: 2,
    body: lines.slice(end + 1).join("\n"),
    bodyLine: end + 2,
  };
}

/**
 * Read a date as Hugo, Jekyll and Eleventy write them: `2024-03-01`, ISO 8601 with or without
 * an offset, Jekyll's `2024-03-01 10:20:00 +0200`. No offset means UTC. Returns null when unreadable.
 */
export function parseDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== "string") return null;
  const m = value
    .trim()
    .match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", tz = "Z"] = m;
  const nums = [y, mo, d, h, mi, s].map(Number);
  const ms = Date.UTC(nums[0], nums[1] - 1, nums[2], nums[3], nums[4], nums[5], Math.round(Number(`0${frac}`) * 1000));
  const check = new Date(ms);
  // Date.UTC rolls 2024-02-31 over into March; refuse instead of guessing.
  if (check.getUTCMonth() !== nums[1] - 1 || check.getUTCDate() !== nums[2] || nums[3] > 23 || nums[4] > 59) {
    return null;
  }
  let offsetMin = 0;
  if (tz.toUpperCase() !== "Z") {
    const t = tz.replace(":", "");
    offsetMin = (t[0] === "-" ? -1 : 1) * (Number(t.slice(1, 3)) * 60 + Number(t.slice(3, 5) || 0));
  }
  return new Date(ms - offsetMin * 60_000);
}

/** Jekyll's `_posts/2024-03-01-title.md` carries the date in the name. */
export function dateFromFileName(relPath: string): Date | null {
  const m = baseName(relPath).match(/^(\d{4}-\d{2}-\d{2})-/);
  return m ? parseDate(m[1]) : null;
}

/**
 * Slug from a file path: the name without extension and without Jekyll's date prefix; for a
 * Hugo page bundle or Eleventy folder (`my-post/index.md`) the folder's name. "" when nothing is left.
 */
export function slugFromPath(relPath: string): string {
  const parts = relPath.split(/[\\/]/).filter(Boolean);
  let name = baseName(relPath);
  if (name === "index" && parts.length > 1) name = parts[parts.length - 2];
  return slugify(name.replace(/^\d{4}-\d{2}-\d{2}-/, ""));
}

function baseName(relPath: string): string {
  const name = relPath.split(/[\\/]/).pop() ?? "";
  return name.replace(/\.(md|markdown)$/i, "");
}

/** Parse one Markdown file. `relPath` gives the slug and date fallbacks. Throws FrontMatterError. */
export function parseMarkdownFile(text: string, relPath: string): MarkdownPost {
  const split = splitFrontMatter(text);
  const lc = new LineCounter();
  const doc = parseDocument(split.yaml, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lc.linePos(offset).line + split.yamlLine - 1;
  const err = doc.errors[0];
  if (err) throw new FrontMatterError(lineAt(err.pos[0]), `YAML syntax error: ${err.message.split("\n")[0]}`);
  const lines: Record<string, number> = {};
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new FrontMatterError(split.yamlLine, "front matter must be key: value pairs");
  }
  for (const pair of doc.contents?.items ?? []) {
    if (isScalar(pair.key) && pair.key.range) lines[String(pair.key.value)] = lineAt(pair.key.range[0]);
  }
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const at = (key: string) => lines[key] ?? 1;
  const fail = (key: string, reason: string): never => {
    throw new FrontMatterError(at(key), reason);
  };
  const present = (key: string) => data[key] !== undefined && data[key] !== null;

  const text1 = (key: string): string | undefined => {
    if (!present(key)) return undefined;
    const v = data[key];
    if (typeof v === "string") return v;
    if (typeof v === "number" || typeof v === "boolean") return String(v);
    return fail(key, `${key}: must be text, not ${describe(v)}`);
  };
  const flag = (key: string): boolean | undefined => {
    if (!present(key)) return undefined;
    const v = data[key];
    if (typeof v === "boolean") return v;
    if (v === "true" || v === "false") return v === "true";
    return fail(key, `${key}: must be true or false, not ${describe(v)}`);
  };

  const title = text1("title")?.trim();
  if (!title) fail("title", present("title") ? "title: is empty" : "title: missing (every post needs a title)");

  let date: Date | null = null;
  if (present("date")) {
    date = parseDate(data.date);
    if (!date) {
      fail("date", `date: cannot read ${JSON.stringify(data.date)} as a date (use YYYY-MM-DD or ISO 8601)`);
    }
  } else {
    date = dateFromFileName(relPath);
  }

  const tags: string[] = [];
  for (const key of ["tags", "categories"]) {
    if (!present(key)) continue;
    const v = data[key];
    const list = typeof v === "string" ? v.split(",") : v;
    if (!Array.isArray(list)) fail(key, `${key}: must be a name or a list of names, not ${describe(v)}`);
    for (const item of list as unknown[]) {
      if (typeof item !== "string" && typeof item !== "number") {
        fail(key, `${key}: each entry must be a name, not ${describe(item)}`);
      }
      const name = String(item).trim();
      if (
        name &&
        !collectionTags.has(name.toLowerCase()) &&
        !tags.some((t) => t.toLowerCase() === name.toLowerCase())
      ) {
        tags.push(name);
      }
    }
  }

  const draft = flag("draft") === true || flag("published") === false;
  const summary = (text1("summary") ?? text1("description") ?? text1("excerpt") ?? "").trim();

  let kind: PostKind = "article";
  const kindText = text1("kind")?.trim().toLowerCase();
  if (kindText) {
    if (!kinds.includes(kindText as PostKind)) fail("kind", `kind: must be one of ${kinds.join(", ")}`);
    kind = kindText as PostKind;
  } else if (flag("marp")) {
    kind = "presentation";
  }

  let slug = text1("slug")?.trim() ?? "";
  if (present("slug")) {
    if (!isSlug(slug)) slug = slugify(slug);
    if (!slug) fail("slug", "slug: has no letters or digits");
  } else {
    slug = slugFromPath(relPath) || slugify(title!);
    if (!slug) fail("title", "cannot make a slug from the file name or the title; add a slug");
  }

  let body = split.body.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
  const directives = marpDirectives.filter((k) => present(k));
  if (kind === "presentation" && directives.length) {
    const kept = Object.fromEntries(directives.map((k) => [k, data[k]]));
    body = `---\n${stringify(kept, { lineWidth: 0 })}---\n\n${body}`;
  }
  return { title: title!, slug, kind, draft, summary, tags, date, body, lines, bodyLine: split.bodyLine };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v instanceof Date) return "a date";
  if (typeof v === "object" && v !== null) return "a mapping";
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** What export needs of a post. */
export interface ExportablePost {
  title: string;
  slug: string;
  kind: PostKind;
  status: PostStatus;
  summary: string;
  published_at: string | null;
  body_md: string;
  /** Theme names. */
  tags: string[];
}

/** Write a post as a Markdown file that `parseMarkdownFile` reads back to the same post. */
export function toMarkdownFile(post: ExportablePost): string {
  const fm: Record<string, unknown> = { title: post.title };
  if (post.published_at) fm.date = post.published_at;
  fm.slug = post.slug;
  fm.kind = post.kind;
  fm.draft = post.status === "draft";
  if (post.summary) fm.summary = post.summary;
  fm.tags = post.tags;
  const body = post.body_md.replace(/\r\n?/g, "\n").trimEnd();
  return `---\n${stringify(fm, { lineWidth: 0 })}---\n\n${body}\n`;
}

/** A theme as exported beside the posts (`_themes.yaml`), so descriptions and order survive a round trip. */
export interface ThemeFileEntry {
  name: string;
  slug: string;
  description: string;
  position: number;
}

/** File name of the themes list inside an export folder (not .md, so it is never read as a post). */
export const themesFileName = "_themes.yaml";

/** Write the themes list. Pure. */
export function toThemesFile(themes: ThemeFileEntry[]): string {
  const list = themes.map(({ name, slug, description, position }) => ({ name, slug, description, position }));
  return stringify({ themes: list }, { lineWidth: 0 });
}

/** Read a themes list; throws FrontMatterError (with the line) when it is malformed. Pure. */
export function parseThemesFile(text: string): ThemeFileEntry[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const err = doc.errors[0];
  if (err) throw new FrontMatterError(lc.linePos(err.pos[0]).line, `YAML syntax error: ${err.message.split("\n")[0]}`);
  const data = doc.toJS() as { themes?: unknown } | null;
  const list = data?.themes ?? [];
  if (!Array.isArray(list)) throw new FrontMatterError(1, "themes: must be a list");
  return list.map((t: Record<string, unknown>, i) => {
    if (typeof t?.name !== "string" || !t.name.trim()) throw new FrontMatterError(1, `themes[${i}]: name is missing`);
    return {
      name: t.name.trim(),
      slug: typeof t.slug === "string" ? t.slug : slugify(t.name),
      description: typeof t.description === "string" ? t.description : "",
      position: typeof t.position === "number" ? t.position : i,
    };
  });
}
