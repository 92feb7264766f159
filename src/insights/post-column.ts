/**
 * "Led to", the insights column of the admin's post list: each published post's outcomes (by
 * kind), the visits that read on after it, and where most of its readers came from.
 */
import { html } from "hono/html";
import type { AppContext } from "../lib/context.ts";
import type { PostListColumn, PostListItem } from "../lib/module.ts";
import type { Html } from "../lib/ui/layout.ts";
import { outcomeName } from "./kinds.ts";
import { type PostFigures, postFigures, sayWorth } from "./post-figures.ts";

/** Where the readers came from: the one source, the one most came from, or the two largest. Pure. */
function fromWhere(f: PostFigures): string {
  const [a, b] = f.sources;
  if (!a) return "";
  const all = f.sources.reduce((n, s) => n + s.visitors, 0);
  if (!b) return `, from ${sourceName(a.key)}`;
  if (a.visitors * 2 > all) return `, mostly from ${sourceName(a.key)}`;
  return f.sources.length > 2
    ? `, from ${sourceName(a.key)}, ${sourceName(b.key)} and others`
    : `, from ${sourceName(a.key)} and ${sourceName(b.key)}`;
}

/** A source as the list says it. */
const sourceName = (key: string) => (key === "internal" ? "your other pages" : key);

/** One post's cell. Pure. */
export function ledToCell(f: PostFigures): Html {
  const kinds = Object.entries(f.outcomes).sort((a, b) => b[1] - a[1]);
  const total = kinds.reduce((n, [, c]) => n + c, 0);
  const more: string[] = [];
  if (sayWorth(f.worth)) more.push(`worth ${sayWorth(f.worth)}`);
  if (f.deep) more.push(`${f.deep} read on`);
  if (f.visitors) more.push(`${f.visitors} visitor${f.visitors === 1 ? "" : "s"}${fromWhere(f)}`);
  if (!total && !f.visitors) return html`<span class="hint">Nothing yet</span>`;
  return html`<strong>${total ? outcomeTotal(total) : "No outcomes"}</strong>${
    kinds.length ? html`<br><span class="hint">${kinds.map(([k, n]) => outcomeName(k, n)).join(", ")}</span>` : ""
  }${more.length ? html`<br><span class="hint">${more.join(" · ")}</span>` : ""}`;
}

const outcomeTotal = (n: number) => `${n} outcome${n === 1 ? "" : "s"}`;

/** The column (owners see it, as they see Insights). */
export const ledToColumn: PostListColumn = {
  heading: "Led to",
  min: "owner",
  async cells(ctx: AppContext, posts: PostListItem[]) {
    const figures = await postFigures(ctx, posts);
    return new Map([...figures].map(([id, f]) => [id, ledToCell(f)]));
  },
};
