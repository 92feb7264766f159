/** Public event pages: the upcoming-events list, and the small uncached pages (register, cancel). */
import { type H, h } from "../../lib/html.ts";
import { type Chrome, layout } from "../../site/index.ts";
import { whenLine } from "../format.ts";
import type { EventPost } from "../store.ts";
import { type Availability, placesText } from "./public.ts";

const CALENDAR_LINK = '<link rel="alternate" type="text/calendar" title="Events (iCalendar)" href="/events.ics">';

/** A small page with a heading and content, kept out of search engines. */
export function eventsPage(chrome: Chrome, path: string, title: string, body: H): string {
  return layout(
    chrome,
    { title, path, noindex: true },
    h`<div class="wrap"><header class="page-header"><h1>${title}</h1></header>${body}</div>`,
  );
}

/** /events: upcoming events, soonest first, each an h-event. */
export function upcomingPage(chrome: Chrome, events: { ev: EventPost; availability: Availability }[]): string {
  const lang = chrome.settings.language;
  const main = h`<div class="wrap">
<header class="page-header"><h1>Upcoming events</h1>
<p>Seminars, workshops and webinars. <a href="/events.ics">Add them all to your calendar</a> (iCalendar feed).</p></header>
${
  events.length
    ? h`<ul class="h-feed cards event-list">${events.map(({ ev, availability }) => {
        const places = placesText(availability);
        return h`<li class="h-event card">
<h2><a class="p-name u-url" href="/posts/${ev.slug}">${ev.title}</a></h2>
<p class="meta"><time class="dt-start" datetime="${ev.starts_at}">${whenLine(ev, lang)}</time>${
          ev.venue
            ? h` · <span class="p-location">${ev.venue}</span>`
            : ev.online_url
              ? h` · <span class="p-location">Online</span>`
              : ""
        }${places ? h` · ${places}` : ""}</p>
${ev.summary ? h`<p class="p-summary">${ev.summary}</p>` : ""}
</li>`;
      })}</ul>`
    : h`<p>There are no upcoming events right now. The <a href="/events.ics">calendar feed</a> shows new ones as soon as they are announced.</p>`
}
</div>`;
  const page = layout(
    chrome,
    { title: "Upcoming events", description: "Seminars, workshops and webinars", path: "/events" },
    main,
  );
  // The shared page shell announces only the site's post feeds; the calendar feed goes next to them.
  return page.replace("</head>", `${CALENDAR_LINK}\n</head>`);
}
