/**
 * The event fields of the post editor: start, end, time zone, venue, online link, capacity and
 * the question. A <details> that is open for events (and whenever a field has an error), so it
 * works without JavaScript when the kind is changed to Event before the first save.
 */
import { html } from "hono/html";
import { type FieldErrors, input, textarea } from "../../lib/ui/form.ts";
import type { Html } from "../../lib/ui/layout.ts";
import { type EventFormValues, eventFieldNames, eventFormValues } from "../fields.ts";

/** The fieldset; `values` undefined for a new post (empty, in the site's time zone). */
export function eventFieldset(
  values: EventFormValues | undefined,
  e: FieldErrors,
  kind: string,
  siteZone: string,
): Html {
  const v = values ?? eventFormValues(undefined, siteZone);
  const open = kind === "event" || eventFieldNames.some((n) => e[n]);
  return html`<details class="field event-fields"${open ? html` open` : ""}>
  <summary>Event details (when the kind is Event)</summary>
  ${input({ name: "eventStart", label: "Starts", type: "datetime-local", value: v.eventStart, errors: e })}
  ${input({ name: "eventEnd", label: "Ends", type: "datetime-local", value: v.eventEnd, errors: e })}
  ${input({
    name: "eventTimeZone",
    label: "Time zone",
    value: v.eventTimeZone,
    hint: "The zone the start and end are in, and in which the page shows them, e.g. Europe/Berlin.",
    errors: e,
  })}
  ${input({ name: "eventVenue", label: "Venue", value: v.eventVenue, hint: "Place and address; leave empty for online only.", errors: e })}
  ${input({ name: "eventOnlineUrl", label: "Online link", type: "url", value: v.eventOnlineUrl, hint: "https://… for a webinar or a hybrid event.", errors: e })}
  ${input({ name: "eventCapacity", label: "Places", type: "number", value: v.eventCapacity, hint: "Leave empty for no limit. When full, people join a waitlist.", errors: e, extra: html` min="1" step="1"` })}
  ${textarea({ name: "eventQuestion", label: "Question for registrants (optional)", value: v.eventQuestion, rows: 2, errors: e })}
</details>`;
}
