/**
 * "What it led to" in a published post's editor (read only): the outcomes it led to (about it, or
 * after reading it), the visits that read 3 or more pages after it, where its readers came from and
 * how often it was forwarded. From the daily counts (today's as of the last few minutes) and the
 * outcomes.
 */
import { html } from "hono/html";
import { postById, postPath, themesOfPosts } from "../content/index.ts";
import type { EditorPart } from "../lib/module.ts";
import { outcomeName } from "./kinds.ts";
import { type PostFigures, postFigures, sayWorth } from "./post-figures.ts";
import { secondaryThemes } from "./story.ts";

/** The editor part (nothing to save: it only shows). */
export const insightsEditorPart: EditorPart<null> = {
  async load(ctx, postId): Promise<Record<string, string> | undefined> {
    const post = await postById(ctx, postId);
    if (!post || post.kind === "page" || post.kind === "digest") return undefined;
    // Off its themes: none, or only those the owner marked secondary (the story's balance).
    const [themes, secondary] = await Promise.all([themesOfPosts(ctx, [post.id]), secondaryThemes(ctx)]);
    const own = themes.get(post.id) ?? [];
    const offTheme = !own.length ? "none" : own.every((t) => secondary.includes(t.id)) ? "secondary" : "";
    if (!post.published_at) return { offTheme };
    const insight = (await postFigures(ctx, [{ id: post.id, kind: post.kind, path: postPath(post) }])).get(post.id);
    return { insight: JSON.stringify(insight), offTheme };
  },
  fromForm: () => ({}),
  check: () => undefined,
  async save() {},
  fieldset(values) {
    const off =
      values?.offTheme === "none"
        ? html`<p class="notice off-theme">This post has no theme: it tells none of your story (Insights → The story over time).</p>`
        : values?.offTheme === "secondary"
          ? html`<p class="notice off-theme">This post is only on themes you marked secondary: is it what you stand for?</p>`
          : "";
    if (!values?.insight) return html`${off}`;
    let i: PostFigures;
    try {
      i = JSON.parse(values.insight) as PostFigures;
    } catch {
      return html``;
    }
    const kinds = Object.entries(i.outcomes).sort((a, b) => b[1] - a[1]);
    const total = kinds.reduce((n, [, c]) => n + c, 0);
    return html`${off}<fieldset class="insights-post">
  <legend>What it led to</legend>
  <p><strong>${total} outcome${total === 1 ? "" : "s"}</strong>${kinds.length ? html`: ${kinds.map(([k, n]) => outcomeName(k, n)).join(", ")}` : ""}${sayWorth(i.worth) ? html`, worth ${sayWorth(i.worth)}` : ""}.</p>
  <p>${i.deep} visit${i.deep === 1 ? "" : "s"} read 3 or more pages after it; forwarded ${i.forwards} time${i.forwards === 1 ? "" : "s"}.</p>
  <p class="hint">An outcome counts for every post the reader read before it, so posts' figures add up to more than the site's.</p>
  <p class="hint">Visits, for context: ${i.visitors} visitor${i.visitors === 1 ? "" : "s"} (${i.entries} came in here)${
    i.sources.length ? html`, from ${i.sources.map((s, x) => html`${x ? ", " : ""}${s.key} ${s.visitors}`)}` : ""
  }.</p>
</fieldset>`;
  },
};
