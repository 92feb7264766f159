/**
 * Items of sources of other kinds (a fediverse account's notes and boosts) as the rows a feed's
 * items become: the HTML through the reader's sanitizer, a title from the first words of a note
 * that has none, the original author as the item's author and, for a boost, a first line saying
 * who boosted it. So the inbox, search, credits and saves treat them like any feed's. Pure.
 */
import { type H, h } from "../../lib/html.ts";
import type { SourceItem } from "../../lib/module.ts";
import type { FeedItem } from "../feed/types.ts";
import { sanitizeHtml } from "../sanitize.ts";
import { toPlainText } from "../text.ts";
import { itemRow, itemText } from "./rows.ts";
import type { NewItem } from "./store.ts";

/** A title made of a note's first words stops near here. */
const TITLE_MAX = 80;

/** The first words of a text, cut at a word near `max` characters. Pure. */
export function firstWords(text: string, max = TITLE_MAX): string {
  const t = text.replace(/\s+/g, " ").trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.5 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, "")}…`;
}

const httpUrl = (raw: string | null | undefined): string | null => {
  if (!raw || !URL.canParse(raw)) return null;
  const u = new URL(raw);
  return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
};

const link = (name: string, url: string | null): H => (url ? h`<a href="${url}">${name}</a>` : h`${name}`);

/** The line a boost starts with: who boosted it, and whose it is. Pure. */
function boostLine(item: SourceItem): string {
  const by = item.boostedBy;
  if (!by) return "";
  const author = item.authors[0];
  const original = author ? h`; originally by ${link(author.name, httpUrl(author.url))}` : "";
  return String(h`<p>Boosted by ${link(by.name, httpUrl(by.url))}${original}.</p>`);
}

/** A source item as a feed item (what `itemRow` stores). Pure. */
export function feedItemOf(item: SourceItem): FeedItem {
  const url = httpUrl(item.url);
  const body = sanitizeHtml(item.html, url);
  const content = sanitizeHtml(boostLine(item), null) + body;
  return {
    id: item.id,
    title: item.title.trim() || firstWords(toPlainText(body)),
    link: url,
    published: item.published ?? item.updated,
    updated: item.updated,
    authors: item.authors.map((a) => ({ name: a.name, email: null, url: httpUrl(a.url) })),
    summary: null,
    content: content || null,
    categories: item.categories,
    enclosures: item.attachments.flatMap((a) => {
      const u = httpUrl(a.url);
      return u ? [{ url: u, type: a.type, length: null }] : [];
    }),
    comments: null,
    via: null,
    image: null,
    durationSeconds: null,
    // A boost of a post is another item than the post itself (the account may boost its own).
    dedupeKey: item.boostedBy ? `boost:${item.id}` : item.id,
  };
}

/** Rows to store for a source's items, each id once, stamped with when they were fetched. Pure. */
export function kindItemRows(items: SourceItem[], fetchedAt: string): NewItem[] {
  const seen = new Set<string>();
  const rows: NewItem[] = [];
  for (const item of items) {
    const f = feedItemOf(item);
    if (seen.has(f.dedupeKey)) continue;
    seen.add(f.dedupeKey);
    const row = { ...itemRow(f), fetched_at: fetchedAt };
    // A title made of the first words is not indexed twice, nor repeated as the excerpt's start.
    if (!item.title.trim()) row.text = itemText({ title: "", summary: null, content: f.content });
    rows.push(row);
  }
  return rows;
}
