/**
 * The insights pages (pure views): the admin home's panel (outcomes first, visits as context) and
 * /admin/insights, with the recent outcomes, "Record an outcome", the settings and the export.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { input } from "../../lib/ui/form.ts";
import { csrfField, type Html, page } from "../../lib/ui/layout.ts";
import { type Dashboard, outcomePostPath } from "../dashboard.ts";
import { type ExperimentResult, sayComparison } from "../experiments.ts";
import { outcomeName, sayAmount } from "../kinds.ts";
import type { Stats } from "../stats.ts";
import type { OutcomeListed } from "../store.ts";

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? "" : "s"}`;
const versus = (now: number, before: number, what: string) =>
  html`<strong>${plural(now, "outcome")}</strong> <span class="hint">(${before} the ${what} before)</span>`;

/** The panel on the admin home (`more`: with its link to the insights page). */
export function homePanel(d: Dashboard, more = true): Html {
  const nothing = d.month.now === 0;
  return html`<section class="insights-panel" aria-labelledby="insights-title">
<h2 id="insights-title">What the writing led to</h2>
${
  nothing
    ? html`<p>No outcomes in the last 30 days yet: subscriptions, inquiries, registrations, comments, new followers, digest clicks and forwards show here as they happen.</p>`
    : html`<p>This week: ${versus(d.week.now, d.week.before, "week")}. Last 30 days: ${versus(d.month.now, d.month.before, "30 days")}.</p>
<div class="insights-columns">
<div><h3>Content that led to them</h3><ol>${d.content.map((c) => html`<li>${c.key.startsWith("/") ? html`<a href="${c.key}">${c.title ?? c.key}</a>` : c.key} <span class="hint">${c.n}</span></li>`)}</ol></div>
<div><h3>Where those readers came from</h3><ol>${d.sources.map((s) => html`<li>${s.key} <span class="hint">${s.n}</span></li>`)}</ol></div>
</div>
<p>New people: <strong>${d.newPeople.n}</strong> <span class="hint">(first seen through an outcome in the last 30 days; ${d.newPeople.cameBack} came back with another)</span></p>`
}
<p class="hint">Visits, for context: ${d.visits.week.now} visitors this week, ${d.visits.week.before} the week before (today's are added every 10 minutes).${
    d.counting ? "" : html` <strong>Counting visits is off</strong>: new visits are not counted.`
  }${more ? html` <a href="/admin/insights">All insights</a>` : ""}</p>
</section>`;
}

function visitList(title: string, rows: Stats["sources"], unit: string): Html {
  return html`<div><h3>${title}</h3>${
    rows.length
      ? html`<ol>${rows.map((r) => html`<li>${r.key || "(none)"} <span class="hint">${r.visitors} ${r.visitors === 1 ? unit.replace(/s$/, "") : unit}</span></li>`)}</ol>`
      : html`<p>None yet.</p>`
  }</div>`;
}

function outcomeItem(o: OutcomeListed): Html {
  const pages = JSON.parse(o.pages) as string[];
  return html`<li><time datetime="${o.at}">${o.at.slice(0, 16).replace("T", " ")}</time> ${outcomeName(o.kind)}${
    o.slug ? html` on <a href="${outcomePostPath(o)}">${o.slug}</a>` : ""
  }${o.note ? html`: ${o.note}` : ""}${
    o.value_cents !== null ? html` (${sayAmount(o.value_cents, o.currency)})` : ""
  } <span class="hint">${
    o.attributed_at
      ? html`from ${o.source || "?"}${o.entry_path ? html`, entered at ${o.entry_path}` : ""}${pages.length > 1 ? html`, ${pages.length} pages read` : ""}`
      : "its visit is read within seconds"
  }</span></li>`;
}

export interface InsightsView {
  d: Dashboard;
  /** The last 30 days' visits, for context. */
  visits: Stats;
  experiments: ExperimentResult[];
  counting: boolean;
  weekly: boolean;
  retentionDays: number;
  /** Today (YYYY-MM-DD), the owner's default for an outcome's date. */
  today: string;
  errors?: Record<string, string>;
  typed?: Record<string, string>;
  notice?: string;
  status?: number;
}

/** /admin/insights. */
export function insightsPage(c: Context<AppEnv>, v: InsightsView) {
  const t = (k: string) => v.typed?.[k] ?? "";
  // Each control labelled, its error beside it and tied to it (aria-invalid, aria-describedby).
  const field = (
    name: string,
    label: string,
    o: { type?: string; required?: boolean; value?: string; extra?: Html } = {},
  ) => input({ ...o, name, id: name, label, errors: v.errors, value: o.value ?? t(name) });
  return page(
    c,
    {
      title: "Insights",
      section: "insights",
      notice: v.notice,
      status: v.status,
      error: v.errors ? "Nothing was saved: see the message at the field." : undefined,
    },
    html`<h1>Insights</h1>
<p><a href="/admin/insights/story">The story over time</a>: your themes month by month, the balance and the cadence.</p>
${homePanel(v.d, false)}
<h2>Recent outcomes</h2>
<p class="hint">The last eight; all of them are in the outcomes' CSV below.</p>
${v.d.recent.length ? html`<ul class="outcomes">${v.d.recent.map(outcomeItem)}</ul>` : html`<p>None yet.</p>`}
<h2>Visits, last 30 days</h2>
<p class="hint">For context: how readers came and where they went in. Visitors are counted day by day (nobody is followed across days); today's are added every 10 minutes.</p>
<div class="insights-columns">
${visitList("Sources (the top 10)", v.visits.sources, "visitors")}
${visitList("Entry pages (the top 10)", v.visits.entries, "visits")}
${visitList("Pages (the top 10)", v.visits.pages, "visitors")}
</div>
<h2>Record an outcome</h2>
<p class="hint">Something the writing led to that happened elsewhere: "client engagement from the seminar".</p>
<form method="post" action="/admin/insights/outcomes">
  ${csrfField(c)}
  ${field("note", "What happened", { required: true, extra: html` maxlength="500"` })}
  ${field("date", "When", { type: "date", required: true, value: t("date") || v.today })}
  ${field("post", "From the post (its address or slug, optional)")}
  ${field("value", "Worth (optional)", { extra: html` inputmode="decimal" placeholder="12000"` })}
  ${field("currency", "Currency", { value: t("currency") || "EUR", extra: html` maxlength="3"` })}
  <button type="submit">Record it</button>
</form>
<h2>Experiments</h2>
<p class="hint">Try something for a while and see what it led to, against the same time just before.</p>
${
  v.experiments.length
    ? html`<ul class="experiments">${v.experiments.map(
        (
          e,
        ) => html`<li><strong>${e.channel}</strong>: ${e.hypothesis} <span class="hint">${e.start} – ${e.end}${e.running ? " (running)" : e.planned ? " (planned)" : ""}</span>
  <br>${e.planned ? html`Begins on ${e.start}: nothing to compare yet.` : html`Outcomes: ${sayComparison(e.outcomes)}. Visitors: ${sayComparison(e.visitors)}.`}
  ${e.running || e.planned ? html`<form method="post" action="/admin/insights/experiments/${e.id}/stop" class="inline">${csrfField(c)}<button type="submit" class="link">${e.planned ? "Cancel it" : "Stop it today"}</button></form>` : ""}</li>`,
      )}</ul>`
    : ""
}
<form method="post" action="/admin/insights/experiments">
  ${csrfField(c)}
  ${field("hypothesis", "What you expect", { required: true, extra: html` maxlength="500" placeholder="LinkedIn brings inquiries"` })}
  ${field("channel", "What you will do, and where", { required: true, extra: html` maxlength="200" placeholder="Post on LinkedIn twice a week"` })}
  ${field("start", "From (today when left empty)", { type: "date" })}
  ${field("end", "To (included)", { type: "date", required: true })}
  <button type="submit">Start it</button>
</form>
<h2>Counting and the weekly email</h2>
<form method="post" action="/admin/insights/settings">
  ${csrfField(c)}
  <label><input type="checkbox" name="counting" value="1"${(v.typed && "retention" in v.typed ? t("counting") === "1" : v.counting) ? html` checked` : ""}> Count visits (no cookies, no scripts; a reader is a hash that changes every day; DNT and GPC respected)</label>
  <label><input type="checkbox" name="weekly" value="1"${(v.typed && "retention" in v.typed ? t("weekly") === "1" : v.weekly) ? html` checked` : ""}> Email me a weekly summary of the small wins, Monday 08:00 (my time zone)</label>
  ${field("retention", "Keep each visit's pages for (days; daily counts are kept for good)", { type: "number", value: t("retention") || String(v.retentionDays), extra: html` min="1" max="3650"` })}
  <button type="submit">Save</button>
</form>
<p><a href="/admin/insights/outcomes.csv">Download the outcomes as CSV</a> <span class="hint">(kind, when, post, entry page, source, pages read before, note, worth)</span></p>
<p><a href="/admin/insights/views.csv">Download the visits' pages as CSV</a> <span class="hint">(what is kept: day, time, the day's visitor hash, page, source, UTM tags, marker, device)</span></p>`,
  );
}
