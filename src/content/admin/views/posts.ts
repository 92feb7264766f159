/** The posts list (the admin's dashboard): filters, search and a table of posts. */
import type { Context } from "hono";
import { html, raw } from "hono/html";
import type { AppEnv } from "../../../lib/http/env.ts";
import { select } from "../../../lib/ui/form.ts";
import { type Html, page, when } from "../../../lib/ui/layout.ts";
import type { PostRow } from "../../store.ts";

export interface PostListData {
  rows: { post: PostRow; snippet?: string }[];
  filter: { status: string; kind: string; q: string; page: number };
  hasMore: boolean;
  total?: number;
  authorNames: Map<number, string>;
  timeZone: string;
  notice?: string;
  onlyOwn: boolean;
  /** Shown above the posts on the admin home (the owner's first-run checklist). */
  intro?: Html;
  /** Other modules' columns: a heading and each post's cell. */
  columns: { heading: string; cells: Map<number, Html> }[];
}

const statusOptions = [
  { value: "", label: "Any status" },
  { value: "draft", label: "Drafts" },
  { value: "scheduled", label: "Scheduled" },
  { value: "published", label: "Published" },
];
const kindFilter = [
  { value: "", label: "Any kind" },
  { value: "article", label: "Articles" },
  { value: "presentation", label: "Presentations" },
  { value: "note", label: "Notes" },
  { value: "page", label: "Pages" },
];

function pageLink(f: PostListData["filter"], n: number): string {
  const q = new URLSearchParams();
  if (f.status) q.set("status", f.status);
  if (f.kind) q.set("kind", f.kind);
  if (f.q) q.set("q", f.q);
  if (n > 1) q.set("page", String(n));
  const s = q.toString();
  return `/admin/posts${s ? `?${s}` : ""}`;
}

export function postListPage(c: Context<AppEnv>, d: PostListData) {
  const f = d.filter;
  return page(
    c,
    { title: "Posts", section: "posts", notice: d.notice },
    html`${d.intro ?? ""}<div class="page-head">
  <h1>Posts</h1>
  <a class="button primary" href="/admin/posts/new">New post</a>
</div>
${d.onlyOwn ? html`<p class="hint">As an author you see your own posts.</p>` : ""}
<form method="get" action="/admin/posts" class="filters" role="search">
  <div class="field">
    <label for="f-q">Search</label>
    <input id="f-q" name="q" type="search" value="${f.q}">
  </div>
  ${select({ name: "status", label: "Status", value: f.status, options: statusOptions })}
  ${select({ name: "kind", label: "Kind", value: f.kind, options: kindFilter })}
  <div class="actions"><button type="submit">Filter</button></div>
</form>
${f.q ? html`<p>${d.total ?? d.rows.length} result${d.total === 1 ? "" : "s"} for “${f.q}”.</p>` : ""}
${
  d.rows.length
    ? html`<table class="list">
  <caption class="visually-hidden">Posts</caption>
  <thead><tr><th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Author</th><th scope="col">Published</th><th scope="col">Updated</th>${d.columns.map((col) => html`<th scope="col">${col.heading}</th>`)}</tr></thead>
  <tbody>
  ${d.rows.map(
    ({ post: p, snippet }) => html`<tr>
    <td><a href="/admin/posts/${p.id}">${p.title}</a>${snippet ? html`<div class="snippet">${raw(snippet)}</div>` : ""}</td>
    <td>${p.kind}</td>
    <td><span class="badge badge-${p.status}">${p.status}</span></td>
    <td>${p.author_id ? (d.authorNames.get(p.author_id) ?? "—") : "—"}</td>
    <td>${when(p.published_at, d.timeZone)}</td>
    <td>${when(p.updated_at, d.timeZone)}</td>
    ${d.columns.map((col) => html`<td>${col.cells.get(p.id) ?? ""}</td>`)}
  </tr>`,
  )}
  </tbody>
</table>`
    : // With no filter on, nothing matched because there is nothing yet: say so, not "No posts match".
      f.status || f.kind || f.q || f.page > 1
      ? html`<p>No posts match. <a href="/admin/posts/new">Write one</a>.</p>`
      : html`<p>No posts yet. <a href="/admin/posts/new">Write your first post</a>.</p>`
}
<nav class="pager" aria-label="Pages">
  ${f.page > 1 ? html`<a href="${pageLink(f, f.page - 1)}">← Newer</a>` : ""}
  ${d.hasMore ? html`<a href="${pageLink(f, f.page + 1)}">Older →</a>` : ""}
</nav>`,
  );
}
