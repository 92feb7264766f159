/** A single post (article, note, presentation) or page, with cover image, related posts and metadata. */

import type { ThemeRow } from "../../content/index.ts";
import { type H, h, raw } from "../../lib/html.ts";
import type { PageBlock } from "../../lib/module.ts";
import { assetUrl } from "../assets.ts";
import type { Cover, PdfLink } from "../service.ts";
import type { ListedPost, PagePost } from "../store.ts";
import {
  aboutCard,
  absoluteUrl,
  authorName,
  bookmarkOf,
  creditLine,
  creditsOf,
  hostLabel,
  kindLabels,
  pathOf,
  postCard,
  themeLinks,
  time,
} from "./components.ts";
import { type Chrome, layout } from "./layout.ts";

export interface PostView {
  post: PagePost;
  themes: ThemeRow[];
  cover?: Cover;
  pdf?: PdfLink;
  related: ListedPost[];
  relatedThemes: Map<number, ThemeRow[]>;
  /** URL of the deck stylesheet (presentations). */
  deckCss?: string;
  /** What other modules add inside the article, after the body (an event's details and form). */
  bodyBlocks: PageBlock[];
  /** What other modules add after the post (share and subscribe). */
  afterBlocks: PageBlock[];
}

function coverImage(cover: Cover): H {
  return h`<figure class="cover"><img class="u-photo" src="${cover.src}"${cover.srcset ? h` srcset="${cover.srcset}" sizes="(min-width: 50rem) 46rem, 100vw"` : ""}${cover.width ? h` width="${cover.width}" height="${cover.height}"` : ""} alt="${cover.alt ?? ""}" fetchpriority="high"></figure>`;
}

/** Slide deck markup: all slides in the page (readable without JS), controls revealed by deck.js. */
export function deck(view: PostView, path: string): H {
  const slides = Number(JSON.parse(view.post.render_extra || "{}").slides ?? 0);
  return h`<div class="deck" data-deck data-slides="${slides}">
<div class="deck-stage e-content">${raw(view.post.body_html)}</div>
<div class="deck-controls" hidden>
<button type="button" data-deck-prev aria-label="Previous slide">←</button>
<p class="deck-counter" aria-live="polite"><span data-deck-current>1</span> / <span>${slides}</span></p>
<button type="button" data-deck-next aria-label="Next slide">→</button>
<button type="button" data-deck-all>Show all slides</button>
</div>
</div>
<p class="deck-links"><a href="${path}/handout">Handout (all slides, printable)</a>${
    view.pdf ? h` · <a href="${view.pdf.href}" download>Download slides (PDF)</a>` : ""
  }</p>`;
}

function jsonLdFor(view: PostView, chrome: Chrome, url: string, image?: string): unknown[] {
  const s = chrome.settings;
  const p = view.post;
  const person = {
    "@type": "Person",
    name: authorName(s),
    url: `${chrome.baseUrl}/`,
    ...(s.author.photoUrl ? { image: absoluteUrl(chrome.baseUrl, s.author.photoUrl) } : {}),
    ...(s.author.links.length ? { sameAs: s.author.links.map((l) => l.url) } : {}),
  };
  if (p.kind === "page") {
    if (p.slug !== "about") return [];
    return [{ "@context": "https://schema.org", ...person, description: s.author.bio || undefined }];
  }
  return [
    {
      "@context": "https://schema.org",
      "@type": "Article",
      headline: p.title,
      ...(p.summary ? { description: p.summary } : {}),
      url,
      mainEntityOfPage: url,
      datePublished: p.published_at,
      dateModified: p.updated_at,
      author: person,
      publisher: person,
      ...(image ? { image } : {}),
      ...(view.themes.length ? { keywords: view.themes.map((t) => t.name).join(", ") } : {}),
      ...(p.kind === "presentation" ? { genre: "presentation" } : {}),
      ...(p.kind === "link" && bookmarkOf(p) ? { isBasedOn: bookmarkOf(p) } : {}),
      wordCount: p.word_count,
      inLanguage: s.language,
    },
  ];
}

/** The post page. */
export function postPage(chrome: Chrome, view: PostView): string {
  const p = view.post;
  const lang = chrome.settings.language;
  const path = pathOf(p);
  const url = chrome.baseUrl + path;
  const isPage = p.kind === "page";
  // The about page's preview is the author's photo when it has no cover (absolute, as OpenGraph wants).
  const image = view.cover
    ? chrome.baseUrl + view.cover.largest
    : isPage && p.slug === "about"
      ? absoluteUrl(chrome.baseUrl, chrome.settings.author.photoUrl)
      : undefined;
  const isDeck = p.kind === "presentation";
  const bookmark = p.kind === "link" ? bookmarkOf(p) : undefined;
  // Lines modules put first in the header (an event's date), in place of the publication date.
  const headerLines = view.bodyBlocks.flatMap((b) => (b.header ? [b.header] : []));
  const og: [string, string][] = isPage
    ? []
    : [
        ["article:published_time", p.published_at ?? ""],
        ["article:modified_time", p.updated_at],
        ["article:author", authorName(chrome.settings)],
        ...view.themes.map((t): [string, string] => ["article:tag", t.name]),
      ];
  if (image && view.cover?.alt) og.push(["og:image:alt", view.cover.alt]);
  const main = h`<article class="h-entry post post-${p.kind}">
<header class="post-header wrap">
${!isPage && p.kind !== "article" ? h`<p class="kind">${kindLabels[p.kind]}</p>` : ""}
${
  bookmark
    ? h`<h1><a class="p-name u-bookmark-of" href="${bookmark}">${p.title}</a> <span class="link-host">(${hostLabel(bookmark)})</span></h1>`
    : h`<h1 class="p-name">${p.title}</h1>`
}
${p.summary ? h`<p class="p-summary lede">${p.summary}</p>` : ""}
${
  isPage
    ? ""
    : headerLines.length
      ? h`<p class="meta">${headerLines} · By <a class="p-author h-card" href="${chrome.baseUrl}/">${authorName(chrome.settings)}</a> · <a class="u-url" href="${url}">Permalink</a></p>`
      : h`<p class="meta">By <a class="p-author h-card" href="${chrome.baseUrl}/">${authorName(chrome.settings)}</a> · <a class="u-url" href="${url}">${time(p.published_at, lang)}</a>${
          p.updated_at.slice(0, 10) > (p.published_at ?? "").slice(0, 10)
            ? h` · updated ${time(p.updated_at, lang, "dt-updated")}`
            : ""
        }${p.word_count > 0 && !isDeck && !bookmark && p.kind !== "event" && p.kind !== "digest" ? h` · ${Math.max(1, Math.round(p.word_count / 230))} min read` : ""}</p>`
}
${themeLinks(view.themes)}
</header>
${view.cover ? coverImage(view.cover) : ""}
${isDeck ? h`<div class="wrap-wide">${deck(view, path)}</div>` : h`<div class="e-content prose wrap">${raw(p.body_html)}</div>`}
${p.kind === "link" && creditsOf(p.credits).length ? h`<div class="wrap">${creditLine(creditsOf(p.credits))}</div>` : ""}
${isPage && p.slug === "about" ? h`<div class="wrap">${aboutCard(chrome.settings, chrome.baseUrl)}</div>` : ""}
${view.bodyBlocks.map((b) => b.html)}
</article>
${view.afterBlocks.map((b) => b.html)}
${
  view.related.length
    ? h`<aside class="related wrap" aria-labelledby="related-heading">
<h2 id="related-heading">More from ${authorName(chrome.settings)}</h2>
<ul class="h-feed cards">${view.related.map((r) => postCard(r, view.relatedThemes.get(r.id), lang, 3))}</ul>
</aside>`
    : ""
}`;
  return layout(
    chrome,
    {
      title: p.title,
      description: p.summary || p.body_text.slice(0, 200),
      path,
      ogType: isPage ? (p.slug === "about" ? "profile" : "website") : "article",
      image,
      og,
      jsonLd: jsonLdFor(view, chrome, url, image),
      stylesheets: view.deckCss ? [view.deckCss] : [],
      scripts: [
        ...new Set([
          ...(isDeck ? [assetUrl("deck.js")] : []),
          ...[...view.bodyBlocks, ...view.afterBlocks].flatMap((b) => b.scripts ?? []),
        ]),
      ],
      nav: p.slug === "about" && isPage ? "about" : undefined,
    },
    main,
  );
}

/** Printable handout: every slide, one per printed page. */
export function handoutPage(chrome: Chrome, view: PostView): string {
  const p = view.post;
  const main = h`<article class="h-entry handout wrap-wide">
<h1 class="p-name">${p.title}</h1>
<p class="meta"><a class="u-url" href="${pathOf(p)}">Back to the presentation</a> · ${time(p.published_at, chrome.settings.language)}${
    view.pdf ? h` · <a href="${view.pdf.href}" download>Download slides (PDF)</a>` : ""
  }</p>
<div class="deck-stage handout-slides e-content">${raw(p.body_html)}</div>
</article>`;
  return layout(
    chrome,
    {
      title: `${p.title} (handout)`,
      description: p.summary,
      path: `${pathOf(p)}/handout`,
      stylesheets: view.deckCss ? [view.deckCss] : [],
      bodyClass: "handout-page",
      noindex: true,
    },
    main,
  );
}
