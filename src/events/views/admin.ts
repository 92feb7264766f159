/** The admin's Events pages: every event with its counts, and one event's registrants. */
import type { Context } from "hono";
import { html } from "hono/html";
import type { AppEnv } from "../../lib/http/env.ts";
import { page, when } from "../../lib/ui/layout.ts";
import { whenLine } from "../format.ts";
import type { EventCounts, EventPost, RegistrationRow } from "../store.ts";

const capacityText = (ev: EventPost, c: EventCounts) =>
  ev.capacity === null ? `${c.registered} (no limit)` : `${c.registered} / ${ev.capacity}`;

/** /admin/events */
export function eventListPage(c: Context<AppEnv>, rows: { ev: EventPost; counts: EventCounts }[]) {
  return page(
    c,
    { title: "Events", section: "events" },
    html`<h1>Events</h1>
<p>Events are posts of the kind “Event”. <a href="/admin/posts/new?kind=event">New event</a> · <a href="/events">Upcoming events on the site</a> · <a href="/events.ics">Calendar feed</a></p>
${
  rows.length
    ? html`<table class="list"><thead><tr><th scope="col">Event</th><th scope="col">When</th><th scope="col">Post</th><th scope="col">Registered</th><th scope="col">Waitlist</th><th scope="col">Registrants</th></tr></thead>
<tbody>${rows.map(
        ({ ev, counts }) => html`<tr>
<td><a href="/admin/events/${ev.post_id}">${ev.title}</a></td>
<td>${whenLine(ev, "en-GB")}</td>
<td><a href="/admin/posts/${ev.post_id}">${ev.status}</a></td>
<td>${capacityText(ev, counts)}</td>
<td>${counts.waitlisted}</td>
<td><a href="/admin/events/${ev.post_id}">List</a> · <a href="/admin/events/${ev.post_id}/registrants.csv">CSV</a></td>
</tr>`,
      )}</tbody></table>`
    : html`<p>No events yet. Write a post and choose the kind “Event”.</p>`
}`,
  );
}

/** /admin/events/:id */
export function registrantsPage(
  c: Context<AppEnv>,
  d: { ev: EventPost; counts: EventCounts; registrations: RegistrationRow[]; timeZone: string },
) {
  const { ev } = d;
  return page(
    c,
    { title: `Registrants: ${ev.title}`, section: "events" },
    html`<h1>${ev.title}</h1>
<p>${whenLine(ev, "en-GB")}${ev.venue ? html` · ${ev.venue}` : ""}${ev.online_url ? html` · ${ev.online_url}` : ""}</p>
<p>Registered: ${capacityText(ev, d.counts)} · Waitlist: ${d.counts.waitlisted} · <a href="/admin/events/${ev.post_id}/registrants.csv">Download CSV</a> · <a href="/admin/posts/${ev.post_id}">Edit the event</a> · <a href="/admin/events">All events</a></p>
${
  d.registrations.length
    ? html`<table class="list"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th>${
        ev.question ? html`<th scope="col">${ev.question}</th>` : ""
      }<th scope="col">Signed up</th><th scope="col">Moved up</th><th scope="col">Cancelled</th></tr></thead>
<tbody>${d.registrations.map(
        (r) =>
          html`<tr><td>${r.name}</td><td>${r.email}</td><td>${r.status}</td>${ev.question ? html`<td>${r.answer}</td>` : ""}<td>${when(r.created_at, d.timeZone)}</td><td>${when(r.promoted_at, d.timeZone)}</td><td>${when(r.cancelled_at, d.timeZone)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>Nobody has registered yet.</p>`
}`,
  );
}
