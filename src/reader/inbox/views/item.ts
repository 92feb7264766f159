/**
 * The item page: title, source, author, date, the sanitized content (or the fetched full text),
 * enclosures as players (audio, video) or images with a download link, and the actions: save,
 * star, mark unread, fetch full text, open the original.
 */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { csrfField, type Html, page, when } from "../../../lib/ui/layout.ts";
import { sanitizeHtml } from "../../sanitize.ts";
import {
  authorNames,
  type Enclosure,
  embedUrl,
  formatBytes,
  formatDuration,
  httpUrl,
  parseEnclosures,
} from "../format.ts";
import { sourceName } from "../service.ts";
import type { ItemWithSource, NeighbourItem } from "../store.ts";
import { flagForms, shortcutHelp } from "./parts.ts";

export interface ItemPageOptions {
  tz: string;
  /** Show the feed's content even when full text was fetched. */
  feedVersion?: boolean;
  notice?: string;
  error?: string;
  status?: number;
  /** Where the owner answers the item (its source's kind can be answered: a fediverse account's post). */
  replyHref?: string;
  /** The list the item was opened from: its address, its fields for item links, and the neighbours. */
  list?: { href: string; context: string; newer: NeighbourItem | null; older: NeighbourItem | null };
}

/** Previous (newer) and next (older) in the list the item was opened from. */
function neighbourNav(list: NonNullable<ItemPageOptions["list"]>): Html {
  if (!list.newer && !list.older) return html``;
  // "← Previous: Title" and "Next: Title →": the arrow points outward, after the title for Next.
  const link = (n: NeighbourItem, rel: "prev" | "next") =>
    html`<a href="/admin/reader/items/${n.id}${list.context}" rel="${rel}" data-nav="${rel}">${rel === "prev" ? "← Previous" : "Next"}: <span class="neighbour-title">${n.title || "Untitled"}</span>${rel === "next" ? " →" : ""}</a>`;
  return html`<nav class="pager item-pager" aria-label="Previous and next items">
    ${list.newer ? link(list.newer, "prev") : ""}
    ${list.older ? link(list.older, "next") : ""}
  </nav>`;
}

function download(e: Enclosure, label: string): Html {
  const size = formatBytes(e.length);
  return html`<a href="${e.url}" download rel="noopener noreferrer">${label}</a>${
    e.type || size ? html` <span class="muted">(${[e.type, size].filter(Boolean).join(", ")})</span>` : ""
  }`;
}

function enclosure(e: Enclosure, duration: string): Html {
  if (e.kind === "audio") {
    return html`<figure class="enclosure">
  <audio controls preload="none" src="${embedUrl(e.url)}"></audio>
  <figcaption>${duration ? html`Duration ${duration} · ` : ""}${download(e, "Download the audio")}</figcaption>
</figure>`;
  }
  if (e.kind === "video") {
    return html`<figure class="enclosure">
  <video controls preload="none" src="${embedUrl(e.url)}"></video>
  <figcaption>${duration ? html`Duration ${duration} · ` : ""}${download(e, "Download the video")}</figcaption>
</figure>`;
  }
  if (e.kind === "image") {
    return html`<figure class="enclosure"><img src="${embedUrl(e.url)}" alt="" loading="lazy" referrerpolicy="no-referrer"></figure>`;
  }
  return html`<p class="enclosure">${download(e, "Download the attachment")}</p>`;
}

/** Render an item. */
export function itemPage(c: Context<AppEnv>, item: ItemWithSource, o: ItemPageOptions) {
  const title = item.title || "Untitled";
  const self = `/admin/reader/items/${item.id}`;
  const authors = authorNames(item.authors);
  const date = item.published_at ?? item.fetched_at;
  const duration = formatDuration(item.duration_seconds);
  const enclosures = parseEnclosures(item.enclosures);
  const url = httpUrl(item.url);
  const image = httpUrl(item.image_url);
  const showFull = !!item.full_html && !o.feedVersion;
  // Stored HTML was sanitized when stored; sanitizing again on the way out (cheap) means a
  // sanitizer fix protects items stored before it, too.
  const content = sanitizeHtml(showFull ? (item.full_html ?? "") : item.content_html || item.summary_html, url);
  const source = sourceName({
    custom_title: item.source_custom_title,
    title: item.source_title,
    site_host: item.source_host,
    feed_url: item.source_feed_url,
  });
  return page(
    c,
    {
      title,
      section: "reader",
      scripts: ["reader.js"],
      styles: ["reader.css"],
      notice: o.notice,
      error: o.error,
      status: o.status,
    },
    html`<article class="reader-item" data-id="${item.id}" data-read="${item.is_read}"${url ? html` data-url="${url}"` : ""}>
  <p class="crumbs"><a href="${o.list?.href ?? "/admin/reader"}">← Inbox</a> · <a href="/admin/reader?source=${item.source_id}">${source}</a></p>
  <header>
    <h1>${title}</h1>
    <p class="item-meta">${authors ? html`By ${authors} · ` : ""}<time datetime="${date}">${when(date, o.tz)}</time>${
      duration ? html` · <span class="duration">${duration}</span>` : ""
    }${item.is_starred ? html` · <span class="star">★ Starred</span>` : ""}</p>
  </header>
  <div class="item-actions">
    <a class="button primary" href="/admin/save?item=${item.id}">Save</a>
    ${o.replyHref ? html`<a class="button" href="${o.replyHref}">Reply</a>` : ""}
    ${flagForms(c, item, self, "", `/admin/reader#item-${item.id}`)}
    ${url ? html`<a class="button" href="${url}" rel="noopener noreferrer" target="_blank">Open the original<span class="visually-hidden"> (opens in a new tab)</span></a>` : ""}
    ${
      url && !item.full_html
        ? html`<form method="post" action="${self}/fulltext" class="inline">${csrfField(c)}<button type="submit" data-action="fulltext">Fetch full text</button></form>`
        : ""
    }
  </div>
  ${image && !enclosures.some((e) => e.url === image) ? html`<img class="item-image" src="${embedUrl(image)}" alt="" referrerpolicy="no-referrer">` : ""}
  ${enclosures.map((e) => enclosure(e, duration))}
  ${
    item.full_html
      ? html`<p class="content-note">${
          showFull
            ? html`Showing the full text fetched from the original page. <a href="${self}?content=feed">Show the feed's version</a>.`
            : html`Showing the feed's version. <a href="${self}">Show the full text</a>.`
        }</p>`
      : ""
  }
  <div class="item-content">${content ? raw(content) : html`<p class="muted">The feed gave no text for this item.${url ? " Open the original, or fetch the full text." : ""}</p>`}</div>
  ${o.list ? neighbourNav(o.list) : ""}
</article>
${shortcutHelp()}`,
  );
}
