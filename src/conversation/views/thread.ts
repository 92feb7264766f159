/**
 * A post's conversation on its page (pure): likes and reposts as small face piles linking to
 * their sources, then comments threaded one level, each an `h-cite` `u-comment` inside the post's
 * h-entry so readers and other sites can parse them; the owner's replies are marked.
 */
import { type H, h, raw } from "../../lib/html.ts";
import type { ItemRow } from "../store.ts";

const fmt = (iso: string, lang: string) =>
  new Intl.DateTimeFormat(lang || "en", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));

/** Initials for a face without a photo. */
const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? "")
    .join("") || "?";

function face(i: ItemRow, cls: "u-like" | "u-repost"): H {
  const href = i.source_url || i.author_url;
  const photo = i.author_photo
    ? h`<img class="u-photo" src="${i.author_photo}" alt="" width="32" height="32" loading="lazy" referrerpolicy="no-referrer">`
    : h`<span class="face-initials" aria-hidden="true">${initials(i.author_name)}</span>`;
  // The link goes to the like (or repost) itself; the person inside is an h-card with their own URL.
  return h`<li class="${cls} h-cite"><a class="u-url" href="${href}" title="${i.author_name}"><span class="p-author h-card">${photo}<span class="visually-hidden p-name">${i.author_name}</span>${i.author_url ? h`<data class="u-url" value="${i.author_url}"></data>` : ""}</span></a></li>`;
}

function pile(items: ItemRow[], cls: "u-like" | "u-repost", label: [string, string]): H | "" {
  if (!items.length) return "";
  return h`<div class="face-pile"><h3>${items.length} ${items.length === 1 ? label[0] : label[1]}</h3><ul>${items.map((i) => face(i, cls))}</ul></div>`;
}

function comment(i: ItemRow, lang: string, replies: ItemRow[], canReply: boolean): H {
  const via = i.via !== "site" && i.source_url ? new URL(i.source_url).hostname : "";
  const author = i.author_url
    ? i.owner_reply
      ? h`<a class="p-author h-card" href="${i.author_url}">${i.author_name}</a>`
      : h`<a class="p-author h-card" href="${i.author_url}" rel="nofollow ugc">${i.author_name}</a>`
    : h`<span class="p-author h-card">${i.author_name}</span>`;
  const kind = i.kind === "mention" ? " mentioned this" : i.kind === "bookmark" ? " bookmarked this" : "";
  return h`<li class="u-comment h-cite comment${i.owner_reply ? " comment-owner" : ""}" id="comment-${i.id}">
<p class="comment-meta">${author}${i.owner_reply ? h` <span class="badge">Author</span>` : ""}${kind} · <a class="u-url" href="${i.via === "site" ? `#comment-${i.id}` : i.source_url}"><time class="dt-published" datetime="${i.published_at}">${fmt(i.published_at, lang)}</time></a>${via ? h` · via ${via}` : ""}</p>
${i.html ? h`<div class="p-content comment-body">${raw(i.html)}</div>` : ""}
${canReply && !i.parent_id ? h`<p class="comment-actions"><a href="/comments/reply/${i.id}" rel="nofollow">Reply</a></p>` : ""}
${replies.length ? h`<ol class="replies">${replies.map((r) => comment(r, lang, [], false))}</ol>` : ""}
</li>`;
}

/** The conversation section (without the form). */
export function threadHtml(items: ItemRow[], lang: string, canReply: boolean): H {
  const likes = items.filter((i) => i.kind === "like");
  const reposts = items.filter((i) => i.kind === "repost");
  const thread = items.filter((i) => i.kind !== "like" && i.kind !== "repost");
  const top = thread.filter((i) => !i.parent_id);
  const repliesOf = new Map<number, ItemRow[]>();
  for (const r of thread) if (r.parent_id) repliesOf.set(r.parent_id, [...(repliesOf.get(r.parent_id) ?? []), r]);
  return h`${pile(likes, "u-like", ["like", "likes"])}${pile(reposts, "u-repost", ["repost", "reposts"])}
<ol class="comments" id="comment-list">${top.map((c) => comment(c, lang, repliesOf.get(c.id) ?? [], canReply))}</ol>`;
}

/** One comment as the in-place script inserts it after posting. */
export function oneComment(i: ItemRow, lang: string): H {
  return comment(i, lang, [], false);
}
