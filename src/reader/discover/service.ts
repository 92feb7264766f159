/**
 * Discover: index what followed sources cite, and rank the sites they cite most that the user
 * does not follow yet ("cited by 5 of the people you follow").
 */
import type { AppContext } from "../../lib/context.ts";
import { extractCitations } from "./citations.ts";
import {
  citingItems,
  commitBatch,
  committedHorizon,
  itemsToIndex,
  type NewCitation,
  rankCitedHosts,
  readCursor,
} from "./store.ts";
import { hostOf, siteKeyOf, siteUrlOfKey } from "./urls.ts";

export interface IndexOptions {
  /** Items per transaction. */
  batchSize?: number;
  /** Batches per call; the job re-enqueues itself when more remain. */
  maxBatches?: number;
  /** Stop starting new batches after this long (well within the job lease of 60 s). */
  budgetMs?: number;
}

export interface IndexResult {
  items: number;
  citations: number;
  /** True when items remain past the cursor. */
  more: boolean;
}

/**
 * Index the citations of items past the cursor, batch by batch. Each batch claims its id range
 * by moving the cursor in the same transaction as its inserts, so two workers never index an
 * item twice and a crash never leaves half a batch.
 */
export async function indexCitations(ctx: AppContext, opts: IndexOptions = {}): Promise<IndexResult> {
  const batchSize = opts.batchSize ?? 500;
  const maxBatches = opts.maxBatches ?? 40;
  const budgetMs = opts.budgetMs ?? 20_000;
  // A CPU budget, not business time: measured on the monotonic clock.
  const started = performance.now();
  let items = 0;
  let citations = 0;
  for (let round = 0; round < maxBatches && performance.now() - started < budgetMs; round++) {
    const from = await readCursor(ctx.db);
    const horizon = await committedHorizon(ctx.db);
    if (horizon <= from) return { items, citations, more: false };
    const rows = await itemsToIndex(ctx.db, from, horizon, batchSize);
    // A short batch reached the horizon: ids in between were deleted, skip past them too.
    const to = rows.length < batchSize ? horizon : rows[rows.length - 1].id;
    const found: NewCitation[] = [];
    for (const row of rows) {
      const cites = extractCitations(
        { contentHtml: row.content_html, summaryHtml: row.summary_html, url: row.url, viaUrl: row.via_url },
        row.site_host || siteKeyOf(row.feed_url),
      );
      const citedAt = row.published_at ?? row.fetched_at;
      for (const c of cites) {
        found.push({
          item_id: row.id,
          source_id: row.source_id,
          target_url: c.url,
          target_host: c.host,
          kind: c.kind,
          cited_at: citedAt,
          label: c.label,
        });
      }
    }
    const itemIds = rows.map((r) => r.id);
    // When another worker claimed this range first, the next round starts from its cursor.
    if (await commitBatch(ctx.db, { from, to, itemIds, citations: found })) {
      items += rows.length;
      citations += found.length;
    }
  }
  const more = (await committedHorizon(ctx.db)) > (await readCursor(ctx.db));
  return { items, citations, more };
}

export interface DiscoverItem {
  itemId: number;
  title: string;
  url: string | null;
  sourceId: number;
  sourceTitle: string;
  citedAt: string;
  targetUrl: string;
  via: boolean;
  /** The citing link's text or the credited name ("" when none). */
  label: string;
  /** The name the item credits the site with ("" when it does not). */
  viaLabel: string;
}

export interface DiscoverSite {
  host: string;
  /** What the citing items call the site (credited names first), else "" (show the host). */
  name: string;
  /** The site's home page, or the person's profile on a shared host (scheme and port of a cited URL). */
  siteUrl: string;
  /** Distinct followed sources citing it. */
  sources: number;
  citations: number;
  lastCitedAt: string;
  items: DiscoverItem[];
}

/**
 * A name for a cited site from its citing items: the name they credit most ("via Carol's
 * Podcast"), else a link text that several items share (a name, not a post title), else "".
 */
export function siteName(items: Pick<DiscoverItem, "label" | "viaLabel">[]): string {
  const best = (list: string[], min: number) => {
    const counts = new Map<string, number>();
    for (const l of list) if (l) counts.set(l, (counts.get(l) ?? 0) + 1);
    let top = "";
    let n = 0;
    for (const [l, c] of counts) if (c > n) [top, n] = [l, c];
    return n >= min ? top : "";
  };
  return (
    best(
      items.map((i) => i.viaLabel),
      1,
    ) ||
    best(
      items.map((i) => i.label),
      2,
    )
  );
}

export interface DiscoverOptions {
  days?: number;
  limit?: number;
  perHost?: number;
}

/** The most cited sites not followed yet, over the last `days` (90) days. */
export async function discoverSites(
  ctx: AppContext,
  opts: DiscoverOptions = {},
): Promise<{ days: number; since: string; sites: DiscoverSite[] }> {
  const days = opts.days ?? 90;
  const since = new Date(ctx.now().getTime() - days * 86_400_000).toISOString();
  const own = hostOf(ctx.config.baseUrl);
  const ranked = await rankCitedHosts(ctx.db, { since, excludeHosts: own ? [own] : [], limit: opts.limit ?? 50 });
  const rows = await citingItems(ctx.db, { hosts: ranked.map((h) => h.host), since, perHost: opts.perHost ?? 10 });
  const byHost = new Map<string, DiscoverItem[]>();
  for (const r of rows) {
    const list = byHost.get(r.host) ?? [];
    list.push({
      itemId: r.item_id,
      title: r.title,
      url: r.url,
      sourceId: r.source_id,
      sourceTitle: r.source_title,
      citedAt: r.cited_at,
      targetUrl: r.target_url,
      via: r.via === 1,
      label: r.label,
      viaLabel: r.via_label,
    });
    byHost.set(r.host, list);
  }
  const sites = ranked.map((h) => ({
    host: h.host,
    name: siteName(byHost.get(h.host) ?? []),
    siteUrl: siteUrlOfKey(h.host, h.sample_url),
    sources: h.sources,
    citations: h.citations,
    lastCitedAt: h.last_cited_at,
    items: byHost.get(h.host) ?? [],
  }));
  return { days, since, sites };
}
