/**
 * The HTML of the Notes we send: the post's body, then for a link post the bookmark and who we
 * found it through, then the themes as hashtag links (Mastodon lists a post under a hashtag only
 * when the tag is also in its content). And the hashtag a theme's name makes. Pure.
 */
import { type H, h, raw } from "../lib/html.ts";

/** What a Note's content is made of (the parts of `OutgoingPost` it uses). */
export interface NoteParts {
  /** Already-sanitized body HTML. */
  html: string;
  link?: { url: string; title?: string; credits: { name: string; url: string }[] };
  themes: { name: string; url: URL }[];
}

/**
 * A theme's name as a hashtag, without the "#": words CamelCased and joined, anything but letters,
 * digits and combining marks dropped (spaces, punctuation, emoji), letters of every script kept.
 * Empty when nothing hashtag-worthy is left: Mastodon needs a letter, "#2024" alone is no tag.
 */
export function hashtagName(themeName: string): string {
  const words = themeName.normalize("NFC").split(/[^\p{L}\p{N}\p{M}]+/u);
  const name = words.map((w) => w.replace(/^\p{Ll}/u, (c) => c.toUpperCase())).join("");
  return /\p{L}/u.test(name) ? name : "";
}

/** The themes that make a hashtag, with it; once per hashtag (servers match them case-insensitively). */
export function themeTags(themes: NoteParts["themes"]): { tag: string; url: URL }[] {
  const seen = new Set<string>();
  return themes
    .map((t) => ({ tag: hashtagName(t.name), url: t.url }))
    .filter((t) => t.tag && !seen.has(t.tag.toLowerCase()) && seen.add(t.tag.toLowerCase()));
}

const isHttp = (u: string) => /^https?:\/\//i.test(u);

/** A link, or only its text when the URL is not http(s) (nothing else belongs in a post we send). */
function anchor(url: string, text: string): H {
  return isHttp(url) ? h`<a href="${url}">${text}</a>` : h`${text}`;
}

/** A Note's content: body, bookmark and credits ("via A, via B", nearest first), hashtags. */
export function noteContent(p: NoteParts): string {
  const parts: H[] = [raw(p.html)];
  if (p.link) {
    parts.push(h`<p>${anchor(p.link.url, p.link.title?.trim() || p.link.url)}</p>`);
    const credits = p.link.credits.map((c, i) => h`${i ? ", " : ""}via ${anchor(c.url, c.name)}`);
    if (credits.length) parts.push(h`<p>${credits}</p>`);
  }
  const tags = themeTags(p.themes).map(
    (t, i) => h`${i ? " " : ""}<a href="${t.url.href}" class="mention hashtag" rel="tag">#<span>${t.tag}</span></a>`,
  );
  if (tags.length) parts.push(h`<p>${tags}</p>`);
  return parts.join("");
}
