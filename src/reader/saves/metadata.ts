/**
 * What a saved page says about itself: title, description, author, site name and canonical URL
 * (OpenGraph, Twitter cards, plain meta tags, JSON-LD, rel links), plus its readable text
 * (readability on linkedom) for search. Pure: HTML and its URL in, data out.
 */
import { Readability } from "@mozilla/readability";
import { stripTracking } from "../sanitize.ts";
import { hostOf } from "./credits.ts";
import { absoluteHttpUrl, linearize, parseDocument } from "./linear.ts";

export interface PageMetadata {
  title: string;
  description: string;
  author: string;
  siteName: string;
  /** Absolute, tracking-stripped, or null when the page names none. */
  canonicalUrl: string | null;
}

export interface PageAnalysis {
  metadata: PageMetadata;
  /** The readable text of the page (paragraphs separated by blank lines), capped. */
  text: string;
}

/** Longest page text kept for search. */
export const MAX_PAGE_TEXT = 200_000;

const clean = (s: string | null | undefined, max: number): string =>
  (s ?? "").replace(/\s+/g, " ").trim().slice(0, max).trim();

function meta(doc: Document, ...keys: string[]): string {
  for (const key of keys) {
    for (const el of Array.from(doc.querySelectorAll("meta"))) {
      const name = (el.getAttribute("property") ?? el.getAttribute("name") ?? "").toLowerCase();
      const value = el.getAttribute("content");
      if (name === key && value?.trim()) return value;
    }
  }
  return "";
}

type Json = unknown;

/** Every object in the page's JSON-LD blocks (arrays and @graph flattened). */
function jsonLdObjects(doc: Document): Record<string, Json>[] {
  const out: Record<string, Json>[] = [];
  const visit = (v: Json): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      out.push(v as Record<string, Json>);
      const graph = (v as Record<string, Json>)["@graph"];
      if (graph) visit(graph);
    }
  };
  for (const s of Array.from(doc.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      visit(JSON.parse(s.textContent ?? ""));
    } catch {
      // Broken JSON-LD is common; the other sources still count.
    }
  }
  return out;
}

/** Names from a JSON-LD author/publisher value: "Name", {name}, or a list of them. */
function ldNames(v: Json): string[] {
  if (typeof v === "string") return /^https?:/i.test(v) ? [] : [v];
  if (Array.isArray(v)) return v.flatMap(ldNames);
  if (v && typeof v === "object") {
    const name = (v as Record<string, Json>).name;
    return typeof name === "string" ? [name] : [];
  }
  return [];
}

/** Metadata from a parsed document. */
function metadataOf(doc: Document, pageUrl: string): PageMetadata {
  const ld = jsonLdObjects(doc);
  const ldAuthor = ld.map((o) => ldNames(o.author).join(", ")).find(Boolean) ?? "";
  const ldPublisher = ld.map((o) => ldNames(o.publisher)[0]).find(Boolean) ?? "";
  const articleAuthor = meta(doc, "article:author");
  const relAuthor = doc.querySelector('a[rel~="author"], link[rel~="author"][title]');
  const relAuthorName = relAuthor ? relAuthor.getAttribute("title") || relAuthor.textContent : "";
  const author =
    meta(doc, "author") ||
    (/^https?:/i.test(articleAuthor) ? "" : articleAuthor) ||
    ldAuthor ||
    relAuthorName ||
    meta(doc, "twitter:creator");
  const canonicalHref =
    doc.querySelector('link[rel~="canonical"]')?.getAttribute("href") || meta(doc, "og:url") || null;
  const canonical = absoluteHttpUrl(canonicalHref, pageUrl);
  return {
    title: clean(
      meta(doc, "og:title", "twitter:title") ||
        doc.querySelector("title")?.textContent ||
        doc.querySelector("h1")?.textContent,
      300,
    ),
    description: clean(meta(doc, "og:description", "twitter:description", "description"), 1000),
    author: clean(author, 200),
    siteName: clean(meta(doc, "og:site_name", "application-name") || ldPublisher || hostOf(pageUrl), 200),
    canonicalUrl: canonical ? stripTracking(canonical) : null,
  };
}

/** Page metadata from HTML fetched from `pageUrl`. Pure. */
export function extractMetadata(html: string, pageUrl: string): PageMetadata {
  return metadataOf(parseDocument(html), pageUrl);
}

/** Text of HTML with blank lines between blocks and single spaces within them. */
function blockText(html: string): string {
  return linearize(html)
    .text.split("\n")
    .map((l) => l.replace(/\s+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}

/** Metadata and readable text of a page, parsing it once. Pure. */
export function analyzePage(html: string, pageUrl: string): PageAnalysis {
  const doc = parseDocument(html);
  const metadata = metadataOf(doc, pageUrl);
  let text = "";
  try {
    // Readability changes the document it reads, so it runs after the metadata is taken.
    const article = new Readability(doc, { charThreshold: 200 }).parse();
    text = article?.content ? blockText(article.content) : "";
  } catch {
    text = "";
  }
  if (!text) text = blockText(doc.body?.innerHTML ?? "");
  return { metadata, text: text.slice(0, MAX_PAGE_TEXT) };
}
