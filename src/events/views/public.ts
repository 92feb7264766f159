/**
 * Public event markup: the block on an event's page (when, where, places, the registration
 * form), marked up as an h-event with a schema.org Event in JSON-LD, and the registration form
 * itself. The event page is cached, so its form has no token: form-token.js fetches one, and
 * without the script the server shows the form again filled in and asks for one more press.
 */

import type { SiteSettings } from "../../content/index.ts";
import { type H, h, jsonLd } from "../../lib/html.ts";
import { authorName } from "../../site/index.ts";
import { isoWithOffset, whenLine } from "../format.ts";
import type { Availability } from "../service.ts";
import type { EventPost } from "../store.ts";

export type { Availability };

export interface RegistrationFormData {
  ev: EventPost;
  /** The form token; empty in cached pages. */
  token: string;
  waitlist: boolean;
  values?: { email?: string; name?: string; answer?: string };
  error?: { field: string; message: string };
  notice?: string;
  embedded?: boolean;
}

/** "12 places left", "1 place left", "Full: waitlist open", or "" for no limit. */
export function placesText(a: Availability): string {
  if (a.waitlist) return "Full: the waitlist is open";
  if (a.left === null) return "";
  return a.left === 1 ? "1 place left" : `${a.left} places left`;
}

/** The registration form (name, email, the event's question, honeypot). */
export function registrationForm(f: RegistrationFormData): H {
  const v = f.values ?? {};
  const id = f.embedded ? "ev" : "reg";
  const err = (field: string) =>
    f.error?.field === field ? h` aria-invalid="true" aria-describedby="${id}-error"` : "";
  return h`<form method="post" action="/events/${f.ev.slug}/register" class="subscribe-form event-form"${f.embedded ? h` data-event-register data-token-url="/events/token"` : ""}>
${f.embedded ? h`<h2 id="register">Register</h2>` : ""}
<input type="hidden" name="t" value="${f.token}">
${f.notice ? h`<p class="form-notice" role="status">${f.notice}</p>` : ""}
${f.error ? h`<p class="form-error" role="alert" id="${id}-error">${f.error.message}</p>` : ""}
${f.waitlist ? h`<p class="hint">The event is full: you will join the waitlist, and get a place as soon as one opens up.</p>` : ""}
<p><label for="${id}-name">Your name</label>
<input id="${id}-name" type="text" name="name" required maxlength="200" autocomplete="name" value="${v.name ?? ""}"${err("name")}></p>
<p><label for="${id}-email">Email address</label>
<input id="${id}-email" type="email" name="email" required autocomplete="email" value="${v.email ?? ""}"${err("email")}></p>
${
  f.ev.question
    ? h`<p><label for="${id}-answer">${f.ev.question}</label>
<textarea id="${id}-answer" name="answer" rows="3" maxlength="2000"${err("answer")}>${v.answer ?? ""}</textarea></p>`
    : ""
}
<p class="visually-hidden" aria-hidden="true"><label for="${id}-website">Leave this empty</label>
<input id="${id}-website" type="text" name="website" tabindex="-1" autocomplete="off"></p>
<p><button type="submit">${f.waitlist ? "Join the waitlist" : "Register"}</button></p>
<p class="hint">We email you a confirmation with a calendar file, and a reminder the day before. Every email has a link to cancel.</p>
</form>`;
}

/** schema.org Event for the page. */
export function eventJsonLd(ev: EventPost, a: Availability, settings: SiteSettings, baseUrl: string): unknown {
  const url = `${baseUrl}/posts/${ev.slug}`;
  const place = ev.venue ? { "@type": "Place", name: ev.venue, address: ev.venue } : undefined;
  // The online link is for registered guests only (sent in their emails): the public data
  // points at the registration form instead.
  const virtual = ev.online_url ? { "@type": "VirtualLocation", url: `${url}#register` } : undefined;
  const mode = place && virtual ? "Mixed" : virtual ? "Online" : "Offline";
  return {
    "@context": "https://schema.org",
    "@type": "Event",
    name: ev.title,
    ...(ev.summary ? { description: ev.summary } : {}),
    url,
    startDate: isoWithOffset(ev.starts_at, ev.time_zone),
    endDate: isoWithOffset(ev.ends_at, ev.time_zone),
    eventStatus: "https://schema.org/EventScheduled",
    eventAttendanceMode: `https://schema.org/${mode}EventAttendanceMode`,
    location: place && virtual ? [place, virtual] : (place ?? virtual),
    organizer: { "@type": "Person", name: authorName(settings), url: `${baseUrl}/` },
    ...(ev.capacity !== null ? { maximumAttendeeCapacity: ev.capacity } : {}),
    ...(a.left !== null ? { remainingAttendeeCapacity: a.left } : {}),
    offers: {
      "@type": "Offer",
      url: `${url}#register`,
      availability: a.waitlist ? "https://schema.org/SoldOut" : "https://schema.org/InStock",
    },
  };
}

export interface EventBlockData {
  ev: EventPost;
  availability: Availability;
  settings: SiteSettings;
  baseUrl: string;
  started: boolean;
}

/** The event block on the post page: an h-event (with its JSON-LD) and the form. */
export function eventBlock(d: EventBlockData): H {
  const { ev, availability: a } = d;
  const url = `${d.baseUrl}/posts/${ev.slug}`;
  const places = placesText(a);
  return h`<section class="h-event event-details wrap" aria-labelledby="event-h">
<h2 id="event-h">Event details</h2>
<data class="p-name" value="${ev.title}"></data>${ev.summary ? h`<data class="p-summary" value="${ev.summary}"></data>` : ""}
<dl class="event-facts">
<dt>When</dt>
<dd><time class="dt-start" datetime="${isoWithOffset(ev.starts_at, ev.time_zone)}">${whenLine(ev, d.settings.language)}</time><time class="dt-end" datetime="${isoWithOffset(ev.ends_at, ev.time_zone)}"></time></dd>
${ev.venue ? h`<dt>Where</dt><dd class="p-location">${ev.venue}</dd>` : ""}
${ev.online_url ? h`<dt>Online</dt><dd${ev.venue ? "" : h` class="p-location"`}>The link is emailed to registered guests.</dd>` : ""}
${places ? h`<dt>Places</dt><dd>${places}</dd>` : ""}
</dl>
<p><a class="u-url" href="${url}">Permalink</a> · <a href="/events">All upcoming events</a> · <a href="/events.ics">Calendar feed</a></p>
${
  d.started
    ? h`<p class="form-notice">Registration is closed: this event has started or taken place.</p>`
    : registrationForm({ ev, token: "", waitlist: a.waitlist, embedded: true })
}
${jsonLd(eventJsonLd(ev, a, d.settings, d.baseUrl))}

</section>`;
}

/** The first line of an event page's header: when, and where (or "Online"). */
export function eventHeader(ev: EventPost, lang: string): H {
  const where = ev.venue || (ev.online_url ? "Online" : "");
  return h`<span class="event-when">${whenLine(ev, lang)}</span>${where ? h` · ${where}` : ""}`;
}

/** The result page body after registering. */
export function registeredBody(ev: EventPost, status: "registered" | "waitlisted", lang: string): H {
  return status === "registered"
    ? h`<p>You have a place at <a href="/posts/${ev.slug}">${ev.title}</a>, ${whenLine(ev, lang)}.</p>
<p>A confirmation with a calendar file is on its way to your inbox, and a reminder follows the day before. Each email has a link to cancel.</p>`
    : h`<p><a href="/posts/${ev.slug}">${ev.title}</a> is full, so you are on the waitlist.</p>
<p>We have emailed you. If a place opens up it is yours, and you will get an email with the calendar file at once.</p>`;
}

/** The cancel page: GET shows a button, so link scanners cannot cancel anyone. */
export function cancelBody(ev: EventPost, status: string, token: string, lang: string): H {
  if (status === "cancelled") return h`<p>This registration for ${ev.title} is already cancelled.</p>`;
  return h`<p>Cancel your ${status === "waitlisted" ? "place on the waitlist" : "place"} at <strong>${ev.title}</strong> (${whenLine(ev, lang)})?</p>
<form method="post" action="/events/cancel/${token}"><button type="submit">Cancel my ${status === "waitlisted" ? "waitlist place" : "place"}</button></form>`;
}
