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

/** A source as the list says it. */
const sourceName = (key: string) => (key === "internal" ? "your other pages" : key);

/** One post's cell. Pure. */
export function ledToCell(f: PostFigures): Html {
  const kinds = Object.entries(f.outcomes).sort((a, b) => b[1] - a[1]);
  const total = kinds.reduce((n, [, c]) => n + c, 0);
  const more: string[] = [];
  if (sayWorth(f.worth)) more.push(`worth ${sayWorth(f.worth)}`);
  if (f.deep) more.push(`${f.deep} read on`);
  if (f.visitors)
    more.push(
      `${f.visitors} visitor${f.visitors === 1 ? "" : "s"}${f.sources[0] ? `, mostly from ${sourceName(f.sources[0].key)}` : ""}`,
    );
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
