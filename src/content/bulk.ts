/**
 * Batch import: thousands of posts in a few seconds (`liner import markdown`, `liner post publish`).
 * Same validation and rendering as `savePost`, but themes are resolved once per distinct name,
 * existing posts are read one batch at a time, and writes go in batched transactions. Idempotent
 * by slug: a post whose content, themes, status and date are unchanged is not touched (no revision).
 * Its batch-shaped queries are in import-store.ts.
 */
import type { AppContext } from "../lib/context.ts";
import type { PostKind, PostStatus } from "../lib/db/schema.ts";
import { transaction } from "../lib/db/transaction.ts";
import { ValidationError } from "../lib/errors.ts";
import { type BatchInsert, type BatchUpdate, type ExistingPost, importStore } from "./import-store.ts";
import { publishJob } from "./jobs.ts";
import { type Actor, contentChanged, parsePostInput, postPath, renderBody, systemActor } from "./service.ts";
import { isSlug } from "./slug.ts";
import { type ThemeRow, themeStore } from "./store.ts";
import { ensureTheme, saveTheme } from "./themes.ts";

/** One post to import. */
export interface ImportItem {
  kind: PostKind;
  title: string;
  slug: string;
  summary: string;
  body: string;
  /** Theme names; matched to existing themes by name or slug, created when missing. */
  tags: string[];
  draft: boolean;
  /** Publication time; null keeps an existing post's date, or uses now for a new one. */
  date: Date | null;
  /** Where it came from (a file path), echoed in failures. */
  source?: string;
}

export interface ImportFailure {
  index: number;
  source?: string;
  /** The input field the problem is about (title, slug, summary, body, tags ...). */
  field: string;
  message: string;
}

export type ImportOutcome = "imported" | "updated" | "unchanged";

export interface ImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  failed: ImportFailure[];
  /** Per successful item: its index, the stored post's id, slug, kind and status, and what happened. */
  posts: { index: number; id: number; slug: string; kind: PostKind; status: PostStatus; outcome: ImportOutcome }[];
}

export interface ImportOptions {
  actor?: Actor;
  /** Posts per transaction. */
  batchSize?: number;
  /** Theme for posts (other than pages) that name none. */
  defaultTheme?: string;
  /** Revision note. */
  note?: string;
  /** Called after each batch with the number of items handled so far. */
  onProgress?: (done: number) => void;
  /** How to render bodies (default: in this thread, with `renderBody`). */
  render?: BatchRenderer;
  /** Batches to start rendering ahead of the one being written (useful with a worker pool). Default 0. */
  renderAhead?: number;
  /** Concurrent write transactions (default 3 on PostgreSQL, 1 on SQLite, which has a single writer). */
  writers?: number;
}

/** Rendered output for one body, as `renderBody` returns it. */
export type Rendered = ReturnType<typeof renderBody>;

/** A body that could not be rendered fails only its own post. */
export type RenderOutcome = Rendered | { error: string };

/** Renders many bodies at once; the CLI passes a worker pool, the default renders in this thread. */
export type BatchRenderer = (jobs: { kind: PostKind; body: string }[]) => Promise<RenderOutcome[]>;

/** Render one body, turning an exception into an outcome. */
export function renderOutcome(kind: PostKind, body: string): RenderOutcome {
  try {
    return renderBody(kind, body);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

const renderHere: BatchRenderer = async (jobs) => jobs.map((j) => renderOutcome(j.kind, j.body));

interface Pending {
  index: number;
  input: ReturnType<typeof parsePostInput>;
  status: PostStatus;
  publishedAt: string | null;
  themeIds: number[];
  old?: ExistingPost;
}

/** Import posts in batches. Never throws for a bad item: it is reported in `failed` and skipped. */
export async function importPosts(
  ctx: AppContext,
  items: ImportItem[],
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const actor = opts.actor ?? systemActor;
  const batchSize = opts.batchSize ?? 500;
  const defaultTheme = opts.defaultTheme ?? "General";
  const render = opts.render ?? renderHere;
  const result: ImportResult = { imported: 0, updated: 0, unchanged: 0, failed: [], posts: [] };
  const fail = (index: number, field: string, message: string) =>
    result.failed.push({ index, source: items[index].source, field, message });

  const themes = await resolveThemes(ctx, items, defaultTheme);
  const nowIso = ctx.now().toISOString();

  // 1. Slugs: valid, and each used by one item only.
  const firstBySlug = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    if (!isSlug(item.slug)) {
      fail(i, "slug", `slug: "${item.slug}" is not valid (use lowercase letters, digits and single hyphens)`);
    } else if (firstBySlug.has(item.slug)) {
      const first = firstBySlug.get(item.slug)!;
      fail(i, "slug", `slug: "${item.slug}" is also used by ${items[first].source ?? `item ${first}`}`);
    } else {
      firstBySlug.set(item.slug, i);
    }
  }

  // 2. Validate and compare with what is stored; only new and changed posts go on.
  const existing = await importStore(ctx.db).existing([...firstBySlug.keys()]);
  const pending: Pending[] = [];
  for (const i of firstBySlug.values()) {
    const item = items[i];
    const old = existing.get(item.slug);
    try {
      const themeIds = themeIdsFor(item, themes, defaultTheme);
      const date = item.date?.toISOString() ?? null;
      const status: PostStatus = item.draft ? "draft" : date && date > nowIso ? "scheduled" : "published";
      const publishedAt = date ?? old?.post.published_at ?? (status === "draft" ? null : nowIso);
      const input = parsePostInput({
        kind: item.kind,
        title: item.title,
        slug: item.slug,
        summary: item.summary,
        body: item.body,
        themeIds,
        status,
        publishedAt,
      });
      if (old && sameContent(old, input, status, publishedAt, themeIds)) {
        result.unchanged++;
        result.posts.push({
          index: i,
          id: old.post.id,
          slug: item.slug,
          kind: input.kind,
          status,
          outcome: "unchanged",
        });
      } else {
        pending.push({ index: i, input, status, publishedAt, themeIds, old: old?.post });
      }
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      fail(i, err.field ?? "input", err.message);
    }
  }

  // 3. Render and write one transaction per batch. Rendering starts `renderAhead` batches early
  // (a worker pool renders while the main thread writes); PostgreSQL gets several writers because
  // computing each post's tsvector there costs about as much as rendering it here.
  const batches: Pending[][] = [];
  for (let i = 0; i < pending.length; i += batchSize) batches.push(pending.slice(i, i + batchSize));
  const renders: (Promise<RenderOutcome[]> | undefined)[] = [];
  const startRender = (b: number) => {
    if (b >= batches.length || renders[b]) return;
    const r = render(batches[b].map((p) => ({ kind: p.input.kind, body: p.input.body })));
    r.catch(() => {}); // awaited by its writer; don't report it unhandled meanwhile
    renders[b] = r;
  };
  let done = items.length - pending.length;
  opts.onProgress?.(done);

  const writeOne = async (b: number) => {
    for (let i = b; i <= b + (opts.renderAhead ?? 0); i++) startRender(i);
    const batch = batches[b];
    const rendered = (await renders[b])!;
    const inserts: Insert[] = [];
    const updates: Update[] = [];
    for (const [j, p] of batch.entries()) {
      const r = rendered[j];
      if ("error" in r) {
        fail(p.index, "body", `body: cannot be rendered (${r.error})`);
        continue;
      }
      const values = {
        kind: p.input.kind,
        status: p.status,
        slug: items[p.index].slug,
        title: p.input.title,
        summary: p.input.summary,
        body_md: p.input.body,
        body_html: r.html,
        body_text: r.text,
        render_extra: JSON.stringify(r.extra),
        published_at: p.publishedAt,
        updated_at: nowIso,
        word_count: r.wordCount,
      };
      if (p.old) updates.push({ index: p.index, id: p.old.id, values, themeIds: p.themeIds, was: p.old });
      else {
        const full = { ...values, cover_media_id: null, pdf_media_id: null, author_id: actor.id, created_at: nowIso };
        inserts.push({ index: p.index, values: full, themeIds: p.themeIds });
      }
    }
    const ids = await transaction(ctx, (tx) =>
      importStore(tx.db).writeBatch({
        inserts,
        updates,
        newPaths: inserts.map((x) => postPath(x.values)),
        authorId: actor.id,
        note: opts.note ?? "Imported",
      }),
    );
    for (const x of inserts) {
      const v = x.values;
      const id = ids.get(v.slug)!;
      result.imported++;
      result.posts.push({ index: x.index, id, slug: v.slug, kind: v.kind, status: v.status, outcome: "imported" });
    }
    for (const x of updates) {
      const v = x.values;
      result.updated++;
      result.posts.push({ index: x.index, id: x.id, slug: v.slug, kind: v.kind, status: v.status, outcome: "updated" });
    }
    await syncSchedules(ctx, inserts, updates, ids);
    done += batch.length;
    opts.onProgress?.(done);
  };

  // Batches touch disjoint posts (slugs are unique), so concurrent transactions cannot conflict.
  const writers = Math.max(1, opts.writers ?? (ctx.db.dialect === "postgres" ? 3 : 1));
  let next = 0;
  const writer = async () => {
    while (next < batches.length) await writeOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(writers, batches.length) }, writer));
  if (pending.length) await contentChanged(ctx);
  result.posts.sort((a, b) => a.index - b.index);
  return result;
}

/**
 * Create or update themes from an export's themes list (matched by slug, then by name), so that
 * descriptions and order survive a round trip. Returns how many were created or changed.
 */
export async function importThemes(
  ctx: AppContext,
  list: { name: string; slug: string; description: string; position: number }[],
): Promise<number> {
  const all = await themeStore(ctx.db).all();
  let changed = 0;
  for (const t of list) {
    const old = all.find((x) => x.slug === t.slug) ?? all.find((x) => x.name.toLowerCase() === t.name.toLowerCase());
    const same = old && old.name === t.name && old.description === t.description && old.position === t.position;
    if (same) continue;
    await saveTheme(
      ctx,
      { name: t.name, slug: old?.slug ?? t.slug, description: t.description, position: t.position },
      old?.id,
    );
    changed++;
  }
  return changed;
}

type Insert = BatchInsert & { index: number };
type Update = BatchUpdate & { index: number; was: ExistingPost };

/** Map every distinct theme name to a theme, creating missing ones (once each). Bad names map to an error. */
async function resolveThemes(
  ctx: AppContext,
  items: ImportItem[],
  defaultTheme: string,
): Promise<Map<string, ThemeRow | ValidationError>> {
  const all = await themeStore(ctx.db).all();
  const byName = new Map(all.map((t) => [t.name.toLowerCase(), t]));
  const resolved = new Map<string, ThemeRow | ValidationError>();
  const names = new Set<string>();
  for (const item of items) {
    for (const tag of item.tags) names.add(tag.trim());
    if (item.tags.length === 0 && item.kind !== "page") names.add(defaultTheme);
  }
  for (const name of names) {
    const key = name.toLowerCase();
    const known = byName.get(key);
    if (known) {
      resolved.set(key, known);
      continue;
    }
    try {
      const theme = await ensureTheme(ctx, name);
      byName.set(key, theme);
      resolved.set(key, theme);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      resolved.set(key, new ValidationError(`tags: "${name}" cannot be a theme (${err.message})`, { field: "tags" }));
    }
  }
  return resolved;
}

function themeIdsFor(item: ImportItem, themes: Map<string, ThemeRow | ValidationError>, defaultTheme: string) {
  const names = item.tags.length || item.kind === "page" ? item.tags : [defaultTheme];
  const ids: number[] = [];
  for (const name of names) {
    const t = themes.get(name.trim().toLowerCase());
    if (t instanceof ValidationError) throw t;
    if (t && !ids.includes(t.id)) ids.push(t.id);
  }
  return ids;
}

function sameContent(
  old: { post: ExistingPost; themeIds: number[] },
  input: ReturnType<typeof parsePostInput>,
  status: PostStatus,
  publishedAt: string | null,
  themeIds: number[],
): boolean {
  const p = old.post;
  const a = [...old.themeIds].sort((x, y) => x - y).join(",");
  const b = [...new Set(themeIds)].sort((x, y) => x - y).join(",");
  return (
    p.kind === input.kind &&
    p.title === input.title &&
    p.summary === input.summary &&
    p.body_md === input.body &&
    p.status === status &&
    (p.published_at ?? null) === publishedAt &&
    a === b
  );
}

/** Scheduled posts get their publishing job; posts that are no longer scheduled lose it. */
async function syncSchedules(
  ctx: AppContext,
  inserts: Insert[],
  updates: Update[],
  ids: Map<string, number>,
): Promise<void> {
  const scheduled = [
    ...inserts
      .filter((x) => x.values.status === "scheduled")
      .map((x) => ({ id: ids.get(x.values.slug)!, v: x.values })),
    ...updates.filter((u) => u.values.status === "scheduled").map((u) => ({ id: u.id, v: u.values })),
  ];
  for (const s of scheduled) {
    await ctx.jobs.enqueue(
      publishJob,
      { postId: s.id },
      { uniqueKey: `publish:${s.id}`, runAt: new Date(s.v.published_at!) },
    );
  }
  for (const u of updates) {
    if (u.was.status === "scheduled" && u.values.status !== "scheduled") await ctx.jobs.cancel(`publish:${u.id}`);
  }
}
