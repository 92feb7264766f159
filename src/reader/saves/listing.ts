/**
 * What the saves pages read: a page of the saves list (newest first, or a search's ranked hits)
 * with each save's credits, and what a new save starts from (the bookmarklet's page, title and
 * selected text, or an inbox item with its proposed credits), with an earlier save of the URL.
 */
import type { AppContext } from "../../lib/context.ts";
import type { Credit } from "./credits.ts";
import { proposalForItem } from "./service.ts";
import { type SaveRow, saveStore, searchSaves } from "./store.ts";

/** Saves per page of the list. */
export const SAVES_PAGE_SIZE = 30;

export interface SavesPage {
  /** The page's saves, each with its search snippet (safe HTML) when searching. */
  rows: { save: SaveRow; snippet?: string }[];
  credits: Map<number, Credit[]>;
  /** Saves in all (matching the search, when there is one). */
  total: number;
  hasMore: boolean;
}

/** One page (1-based) of the saves list, or of the search for `q` when it is not "". */
export async function savesPage(ctx: AppContext, q: string, page: number): Promise<SavesPage> {
  const store = saveStore(ctx.db);
  const offset = (page - 1) * SAVES_PAGE_SIZE;
  let rows: SavesPage["rows"];
  let total: number;
  if (q) {
    const r = await searchSaves(ctx.db, { q, limit: SAVES_PAGE_SIZE, offset });
    rows = r.hits.map((h) => ({ save: h.save, snippet: h.snippet }));
    total = r.total;
  } else {
    rows = (await store.list(SAVES_PAGE_SIZE + 1, offset)).map((save) => ({ save }));
    total = await store.count();
  }
  const hasMore = q ? offset + rows.length < total : rows.length > SAVES_PAGE_SIZE;
  rows = rows.slice(0, SAVES_PAGE_SIZE);
  return { rows, credits: await store.creditsOf(rows.map((r) => r.save.id)), total, hasMore };
}

/** A selection from the page being saved, as a Markdown quote. Pure. */
export const quote = (text: string) =>
  text
    .slice(0, 2000)
    .replace(/\r\n/g, "\n")
    .trim()
    .split("\n")
    .map((l) => `> ${l}`.trimEnd())
    .join("\n");

/** What the new-save form starts with. */
export interface NewSaveStart {
  url: string;
  title: string;
  /** The selected text as a quote, or "". */
  blurb: string;
  /** Proposed credits (an inbox item's), else none. */
  credits: Credit[];
  /** The inbox item being saved, or null. */
  itemId: number | null;
  /** An inbox item was asked for but does not exist (any more). */
  itemMissing: boolean;
  /** An earlier save of the same URL, to edit instead. */
  earlier?: SaveRow;
}

/**
 * The start of a new save from the save page's query: the bookmarklet's `url`, `title` and
 * selected `text`; or an inbox item (`itemId`), whose URL, title and credits replace those.
 */
export async function newSaveStart(
  ctx: AppContext,
  q: { url: string; title: string; text: string; itemId?: number },
): Promise<NewSaveStart> {
  const start: NewSaveStart = {
    url: q.url.trim(),
    title: q.title.trim(),
    blurb: q.text.trim() ? quote(q.text) : "",
    credits: [],
    itemId: null,
    itemMissing: false,
  };
  if (q.itemId !== undefined) {
    const proposal = await proposalForItem(ctx, q.itemId);
    if (proposal) {
      start.url = proposal.url;
      start.title = proposal.title;
      start.credits = proposal.credits;
      start.itemId = proposal.itemId;
    } else start.itemMissing = true;
  }
  if (start.url) start.earlier = await saveStore(ctx.db).byUrl(start.url);
  return start;
}
