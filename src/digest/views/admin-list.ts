/**
 * /admin/digests: the digests so far, a "New digest" form, the weekly schedule (in the owner's
 * time zone) and "what resonated": clicks summed per theme and per source of sent digests.
 */
import type { Context } from "hono";
import { html } from "hono/html";
import { PER_SUBSCRIBER_NOTE } from "../../audience/index.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { checkboxes, type FieldErrors, input, select } from "../../lib/ui/form.ts";
import { csrfField, page, when } from "../../lib/ui/layout.ts";
import type { DigestListRow, Resonance } from "../manage.ts";
import { type DigestSchedule, WEEKDAYS } from "../schedule.ts";

/** What the list page shows. */
export interface DigestListData {
  /** Per-subscriber click counting is on. */
  perSubscriber?: boolean;
  digests: DigestListRow[];
  lists: { slug: string; name: string }[];
  /** The schedule's values as shown (stored, or as submitted when they had an error). */
  schedule: Omit<DigestSchedule, "weekday" | "prepareHours"> & {
    weekday: number | string;
    prepareHours: number | string;
  };
  nextSend: string | null;
  timeZone: string;
  resonated: { themes: Resonance[]; sources: Resonance[] };
  since?: string;
  errors?: FieldErrors;
  notice?: string;
  status?: number;
}

const day = (iso: string, tz: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: tz }).format(new Date(iso));

function table(rows: DigestListRow[], tz: string) {
  if (!rows.length) return html`<p>No digests yet.</p>`;
  return html`<table class="list">
  <caption class="visually-hidden">Digests</caption>
  <thead><tr><th scope="col">Title</th><th scope="col">Period</th><th scope="col">Status</th><th scope="col">Entries</th><th scope="col">Sent to</th><th scope="col">Clicks</th></tr></thead>
  <tbody>${rows.map(
    (d) => html`<tr>
    <td><a href="/admin/digests/${d.id}">${d.title}</a></td>
    <td>${day(d.periodStart, tz)} – ${day(d.periodEnd, tz)}</td>
    <td><span class="badge">${d.status}</span></td>
    <td>${d.entries}</td>
    <td>${d.sentTo.length ? d.sentTo.join(", ") : "—"}</td>
    <td>${d.clicks}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

function resonance(caption: string, rows: Resonance[]) {
  if (!rows.length) return html`<p>${caption}: no clicks counted yet.</p>`;
  return html`<table class="list">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Clicks</th><th scope="col">Entries</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><td>${r.name}</td><td>${r.clicks}</td><td>${r.entries}</td></tr>`)}</tbody>
</table>`;
}

function scheduleForm(c: Context<AppEnv>, d: DigestListData) {
  const s = d.schedule;
  const errors = d.errors ?? {};
  const box = (name: string, label: string, on: boolean) =>
    html`<div class="check"><input type="checkbox" id="f-${name}" name="${name}" value="1"${on ? html` checked` : ""}><label for="f-${name}">${label}</label></div>`;
  return html`<form method="post" action="/admin/digests/schedule" class="stack" novalidate>
  ${csrfField(c)}
  ${box("enabled", "Prepare a digest every week", s.enabled)}
  ${select({ name: "weekday", label: "Day", value: s.weekday, options: WEEKDAYS.map((label, value) => ({ value, label })), errors })}
  ${input({ name: "time", label: "Time", type: "time", value: s.time, hint: `In your time zone, ${d.timeZone}.`, errors })}
  ${input({ name: "prepareHours", label: "Prepare the draft this many hours before", type: "number", value: s.prepareHours, hint: "You get an email with a link to review it.", errors })}
  ${box("autoSend", "Send it by itself at that time unless I hold it", s.autoSend)}
  ${checkboxes({ name: "lists", label: "Lists it goes to", values: s.lists.length === 0 && !s.enabled && d.lists.length === 1 ? [d.lists[0].slug] : s.lists, options: d.lists.map((l) => ({ value: l.slug, label: l.name })), errors })}
  <div class="actions"><button type="submit" class="primary">Save the schedule</button></div>
</form>`;
}

/** Render the list page. */
export function digestListPage(c: Context<AppEnv>, d: DigestListData) {
  const errors = d.errors ?? {};
  const body = html`<h1>Digests</h1>
<p>The weekly flash report: what you saved, grouped by theme, with your blurbs and credits.</p>
${table(d.digests, d.timeZone)}
<h2 id="new">New digest</h2>
<form method="post" action="/admin/digests" class="stack" novalidate>
  ${csrfField(c)}
  ${input({ name: "since", label: "Saves since", type: "date", value: d.since ?? "", hint: "Leave empty to start where the last digest ended.", errors })}
  <div class="actions"><button type="submit" class="primary">Create a draft</button>
    <button type="submit" name="empty" value="1">Start an empty digest</button></div>
  <p class="hint">An empty digest starts with no links: add them by hand, with your blurbs.</p>
</form>
<h2 id="schedule">Schedule</h2>
<p>${d.nextSend ? html`The next digest goes out on <strong>${when(d.nextSend, d.timeZone)}</strong> (${d.timeZone}).` : "The schedule is off."}</p>
${scheduleForm(c, d)}
<h2 id="tracking">Click counting</h2>
<form method="post" action="/admin/digests/tracking" class="stack">
  ${csrfField(c)}
  <p><label><input type="checkbox" name="perSubscriber" value="1"${d.perSubscriber ? html` checked` : ""}> Count clicks for each subscriber, not only for each entry</label></p>
  <p class="hint">While this is on, every list's promise at signup says: “${PER_SUBSCRIBER_NOTE}” People who subscribed before were told nothing about it, so think twice.</p>
  <div class="actions"><button type="submit">Save</button></div>
</form>
<h2 id="resonated">What resonated</h2>
${resonance("Clicks per theme", d.resonated.themes)}
${resonance("Clicks per source", d.resonated.sources)}`;
  const error = Object.keys(errors).length ? "Not saved. Please correct the fields marked below." : undefined;
  return page(c, { title: "Digests", section: "digests", notice: d.notice, error, status: d.status }, body);
}
