/** The page shell: head (meta, OpenGraph, feeds, JSON-LD), header with nav and search, footer h-card. */

import type { SiteSettings } from "../../content/index.ts";
import { type H, h, jsonLd } from "../../lib/html.ts";
import { assetUrl } from "../assets.ts";
import { footerCard } from "./components.ts";

/** What every page knows about the site. */
export interface Chrome {
  settings: SiteSettings;
  baseUrl: string;
  /** Is the about page public? (The nav links to it only then.) Unset: assume it is. */
  hasAbout?: boolean;
  /** Links other modules add to the footer's "Follow" line ("By email"). */
  footerLinks?: H[];
  /** Links every page advertises in its head (the Webmention endpoint), with absolute hrefs. */
  pageLinks?: { rel: string; href: string }[];
}

export interface FeedLink {
  title: string;
  /** Path without extension, e.g. "/feed" or "/themes/x/feed". */
  base: string;
}

export interface PageMeta {
  /** Page title; the site title is appended (omit for the home page). */
  title?: string;
  description?: string;
  /** Path of the canonical URL (made absolute with baseUrl). */
  path: string;
  ogType?: "website" | "article" | "profile";
  /** Absolute image URL for OpenGraph. */
  image?: string;
  /** Extra OpenGraph/article meta as [property, content]. */
  og?: [string, string][];
  jsonLd?: unknown[];
  /** Extra feeds to announce (theme feeds); the site feeds are always there. */
  feeds?: FeedLink[];
  stylesheets?: string[];
  scripts?: string[];
  bodyClass?: string;
  noindex?: boolean;
  /** Which nav item is current. */
  nav?: "home" | "themes" | "archive" | "about" | "search";
}

const feedTypes: [string, string][] = [
  ["atom", "application/atom+xml"],
  ["rss", "application/rss+xml"],
  ["json", "application/feed+json"],
];

function feedLinks(feeds: FeedLink[]): H {
  return h`${feeds.map((f) =>
    feedTypes.map(
      ([ext, type]) =>
        h`<link rel="alternate" type="${type}" title="${f.title} (${ext === "json" ? "JSON Feed" : ext === "rss" ? "RSS" : "Atom"})" href="${f.base}.${ext}">`,
    ),
  )}`;
}

function navItem(label: string, href: string, current: boolean): H {
  return h`<li><a href="${href}"${current ? h` aria-current="page"` : ""}>${label}</a></li>`;
}

/** A whole HTML document. */
export function layout(chrome: Chrome, meta: PageMeta, main: H): string {
  const s = chrome.settings;
  const fullTitle = meta.title ? `${meta.title} · ${s.title}` : s.title;
  const description = meta.description || s.description;
  const canonical = chrome.baseUrl + meta.path;
  const feeds = [{ title: s.title, base: "/feed" }, ...(meta.feeds ?? [])];
  return h`<!doctype html>
<html lang="${s.language || "en"}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
${description ? h`<meta name="description" content="${description}">` : ""}
${meta.noindex ? "" : h`<link rel="canonical" href="${canonical}">`}
${meta.noindex ? h`<meta name="robots" content="noindex">` : ""}
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${assetUrl("site.css")}">
${(meta.stylesheets ?? []).map((href) => h`<link rel="stylesheet" href="${href}">`)}
<link rel="icon" href="${assetUrl("icon.svg")}" type="image/svg+xml">
${feedLinks(feeds)}
${(chrome.pageLinks ?? []).map((l) => h`<link rel="${l.rel}" href="${l.href}">`)}
<meta property="og:site_name" content="${s.title}">
<meta property="og:title" content="${meta.title ?? s.title}">
<meta property="og:type" content="${meta.ogType ?? "website"}">
<meta property="og:url" content="${canonical}">
${description ? h`<meta property="og:description" content="${description}">` : ""}
${meta.image ? h`<meta property="og:image" content="${meta.image}">` : ""}
<meta property="og:locale" content="${(s.language || "en").replace("-", "_")}">
${(meta.og ?? []).map(([p, c]) => h`<meta property="${p}" content="${c}">`)}
<meta name="twitter:card" content="${meta.image ? "summary_large_image" : "summary"}">
${(meta.jsonLd ?? []).map((d) => jsonLd(d))}
${(meta.scripts ?? []).map((src) => h`<script src="${src}" defer></script>`)}
</head>
<body${meta.bodyClass ? h` class="${meta.bodyClass}"` : ""}>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<div class="wrap header-inner">
<a class="site-title" href="/">${s.title}</a>
<nav aria-label="Main">
<ul>
${navItem("Home", "/", meta.nav === "home")}
${navItem("Themes", "/themes", meta.nav === "themes")}
${navItem("Archive", "/archive", meta.nav === "archive")}
${chrome.hasAbout === false ? "" : navItem("About", "/about", meta.nav === "about")}
</ul>
</nav>
<form class="header-search" role="search" aria-label="Site search" action="/search" method="get">
<label for="site-search" class="visually-hidden">Search this site</label>
<input id="site-search" type="search" name="q" placeholder="Search" autocomplete="off">
<button type="submit">Search</button>
</form>
</div>
</header>
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site-footer">
<div class="wrap">
${footerCard(s, chrome.baseUrl)}
${s.description ? h`<p class="site-description">${s.description}</p>` : ""}
<p class="feeds">Follow: ${(chrome.footerLinks ?? []).map((l) => h`${l} · `)}<a href="/feed.atom">Atom</a> · <a href="/feed.rss">RSS</a> · <a href="/feed.json">JSON Feed</a></p>
<p class="footer-links"><a href="/events">Events</a></p>
<p class="work-with-me"><a href="/work-with-me">Work with me</a></p>
</div>
</footer>
</body>
</html>`.toString();
}
