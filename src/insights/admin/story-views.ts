/** The story over time (pure views): the charts, the balance and the cadence; admin and public. */
import { type H, h } from "../../lib/html.ts";
import { stackedBars } from "../chart.ts";
import { STORY_KINDS, type Story, type StoryKind } from "../story.ts";

const ONE_PER_THEME = "Something on two themes counts under each.";

/** The story's body: a chart per kind, then the balance and the cadence (`admin` says more). */
export function storyBody(s: Story, opts: { admin: boolean; kinds?: StoryKind[] }): H {
  const kinds = opts.kinds ?? (Object.keys(STORY_KINDS) as StoryKind[]);
  const pct = s.balance.all ? Math.round((s.balance.onTheme / s.balance.all) * 100) : 0;
  return h`${kinds.map(
    (k) =>
      h`<section class="story-chart"><h2>${STORY_KINDS[k]} by theme, month by month</h2>${
        // An empty chart says nothing a sentence would not.
        s.rows[k].some((r) => s.series.some((t) => Number(r[t] ?? 0) > 0))
          ? stackedBars(
              `story-${k}`,
              `${STORY_KINDS[k]} by theme, the last 12 months`,
              s.series,
              s.rows[k],
              ONE_PER_THEME,
            )
          : h`<p>None in the last 12 months yet.</p>`
      }</section>`,
  )}
${
  opts.admin
    ? h`<h2>Balance and cadence</h2>
<p>${pct}% of the last 12 months' posts (by theme) are on the themes you stand for${s.balance.secondary.length ? h` (secondary: ${s.balance.secondary.join(", ")})` : ""}.</p>
<p>${s.cadence.postsPerMonth.toFixed(1)} posts a month; ${s.cadence.currentStreak} week${s.cadence.currentStreak === 1 ? "" : "s"} in a row with a post now, ${s.cadence.longestStreak} at most (${s.cadence.weeksWithPosts} weeks with posts in all).</p>`
    : ""
}`;
}

/** The public story's key posts by theme. */
export function keyPostsBody(byTheme: { theme: string; posts: { title: string; slug: string }[] }[]): H {
  return h`<h2>Key posts</h2>${byTheme.map(
    (t) => h`<h3>${t.theme}</h3><ul>${t.posts.map((p) => h`<li><a href="/posts/${p.slug}">${p.title}</a></li>`)}</ul>`,
  )}`;
}
