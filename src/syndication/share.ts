/**
 * Share intents for the sites without an account here: a prefilled link per site that the owner
 * clicks (X, Facebook, Threads, Reddit, Hacker News, Pinterest, Tumblr, WhatsApp, email), each
 * sized to the site's limit. Links only: no script and nothing that calls out on load. Pure.
 */
import { clip, type PostForCopy } from "./shape.ts";

export interface ShareLink {
  name: string;
  href: string;
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
/** Characters as the sites count them (code points). */
const chars = (s: string) => [...s].length;
/** `s` within `max` characters, cut at a word boundary when one is near, with "…". */
const upTo = (s: string, max: number) => {
  if (chars(s) <= max) return s;
  let cut = [...s].slice(0, max - 1).join("");
  const space = cut.search(/\s\S*$/);
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
};

/** The links for a published post; `image` is the cover's absolute URL (Pinterest needs one). */
export function shareLinks(p: PostForCopy, image?: string): ShareLink[] {
  const title = p.title || clip(p.text, 80);
  const lead =
    p.kind === "article" || p.kind === "presentation" || !p.text.trim()
      ? [p.title, p.summary].filter(Boolean).join(": ")
      : p.text;
  // X counts every link as 23 characters, and a space before it.
  const xText = upTo(lead, 280 - 24);
  const links: ShareLink[] = [
    { name: "X", href: `https://x.com/intent/post?${q({ text: xText, url: p.url })}` },
    { name: "Facebook", href: `https://www.facebook.com/sharer/sharer.php?${q({ u: p.url })}` },
    {
      name: "Threads",
      href: `https://www.threads.net/intent/post?${q({ text: `${upTo(lead, 500 - chars(p.url) - 1)} ${p.url}` })}`,
    },
    { name: "Reddit", href: `https://www.reddit.com/submit?${q({ url: p.url, title: upTo(title, 300) })}` },
    { name: "Hacker News", href: `https://news.ycombinator.com/submitlink?${q({ u: p.url, t: upTo(title, 80) })}` },
  ];
  if (image)
    links.push({
      name: "Pinterest",
      href: `https://www.pinterest.com/pin/create/button/?${q({ url: p.url, media: image, description: upTo(lead, 500) })}`,
    });
  links.push(
    {
      name: "Tumblr",
      href: `https://www.tumblr.com/widgets/share/tool?${q({ canonicalUrl: p.url, title, caption: p.summary })}`,
    },
    { name: "WhatsApp", href: `https://wa.me/?${q({ text: `${lead} ${p.url}` })}` },
    {
      name: "Email",
      href: `mailto:?${q({ subject: title, body: `${p.summary ? `${p.summary}\n\n` : ""}${p.url}` }).replaceAll("+", "%20")}`,
    },
  );
  return links;
}
