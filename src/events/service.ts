/**
 * Events: saving an event's details with its post, registering (a place while there is one,
 * else the waitlist), cancelling with a signed link (the first on the waitlist moves up and is
 * emailed), the calendar data, and the reminder the day before. Registration answers the same
 * whether or not the address had registered before, and sends nothing the second time.
 */

import { z } from "zod";
import { contentChanged, getSiteSettings } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { jobKind } from "../lib/jobs/kinds.ts";
import type { ReaderRequest } from "../lib/module.ts";
import { signToken, verifyToken } from "../lib/tokens.ts";
import { normalizeEmail, queueTransactional } from "../mail/index.ts";
import type { EventInput } from "./fields.ts";
import { whenLine } from "./format.ts";
import { type IcsEvent, renderCalendar } from "./ics.ts";
import { type EventMailKind, eventMail } from "./mail.ts";
import { type EventCounts, type EventPost, eventStore, type RegistrationRow } from "./store.ts";

/** The job that sends an event's reminders, one per event (unique key `events.remind:<post id>`). */
export const REMIND_JOB = jobKind("events.remind", z.object({ postId: z.number().int().positive() }));
const REMIND_BEFORE_MS = 24 * 3600_000;

/**
 * (Re)schedule an event's reminder for 24 hours before it starts (at once when that is past
 * but the event is not); none for an event that has started.
 */
export async function scheduleReminder(ctx: AppContext, ev: Pick<EventPost, "post_id" | "starts_at">): Promise<void> {
  const key = `${REMIND_JOB.name}:${ev.post_id}`;
  const start = Date.parse(ev.starts_at);
  if (start <= ctx.now().getTime()) {
    await ctx.jobs.cancel(key);
    return;
  }
  const runAt = new Date(Math.max(ctx.now().getTime(), start - REMIND_BEFORE_MS));
  await ctx.jobs.enqueue(REMIND_JOB, { postId: ev.post_id }, { runAt, uniqueKey: key });
}

/** When an event's reminder is due. */
export const reminderDueAt = (ev: Pick<EventPost, "starts_at">) =>
  new Date(Date.parse(ev.starts_at) - REMIND_BEFORE_MS);

/** Is the post of an event public at `now`? */
export function isVisible(ev: Pick<EventPost, "status" | "published_at">, now: string): boolean {
  return ev.status === "published" && ev.published_at !== null && ev.published_at <= now;
}

/** Registration closes when the event starts. */
export function hasStarted(ev: Pick<EventPost, "starts_at">, now: Date): boolean {
  return Date.parse(ev.starts_at) <= now.getTime();
}

/** Public path of an event's page. */
export const eventPath = (ev: Pick<EventPost, "slug">) => `/posts/${ev.slug}`;

/**
 * Store a post's event details (after the post itself was saved). A new start time reminds
 * everyone again; more places move people up from the waitlist (and email them).
 */
export async function saveEventDetails(ctx: AppContext, postId: number, input: EventInput): Promise<void> {
  const store = eventStore(ctx.db);
  const before = await store.put({
    post_id: postId,
    starts_at: input.startsAt,
    ends_at: input.endsAt,
    time_zone: input.timeZone,
    venue: input.venue,
    online_url: input.onlineUrl,
    capacity: input.capacity,
    question: input.question,
  });
  if (before && before.starts_at !== input.startsAt) await store.resetReminders(postId);
  const ev = await store.byPostWithPost(postId);
  if (!ev) return;
  await scheduleReminder(ctx, ev);
  if (!hasStarted(ev, ctx.now())) {
    for (const r of await store.promote(postId, ctx.now().toISOString())) await emailRegistrant(ctx, ev, r, "promoted");
  }
  await contentChanged(ctx);
}

/** A public event by slug, or NotFoundError. */
export async function publicEvent(ctx: AppContext, slug: string): Promise<EventPost> {
  const ev = await eventStore(ctx.db).bySlug(slug);
  if (!ev || !isVisible(ev, ctx.now().toISOString())) throw new NotFoundError("There is no event at this address.");
  return ev;
}

/** Places: how many are taken, how many are left (null: no limit) and whether the waitlist is open. */
export interface Availability {
  registered: number;
  waitlisted: number;
  left: number | null;
  waitlist: boolean;
}

/** Places left (null: no limit) and whether new registrations go to the waitlist, from the counts. */
function availabilityFrom(ev: EventPost, counts: EventCounts = { registered: 0, waitlisted: 0 }): Availability {
  const left = ev.capacity === null ? null : Math.max(0, ev.capacity - counts.registered);
  return { ...counts, left, waitlist: left === 0 || counts.waitlisted > 0 };
}

/** Places left (null: no limit) and whether new registrations go to the waitlist. */
export async function availability(ctx: AppContext, ev: EventPost): Promise<Availability> {
  return (await availabilities(ctx, [ev]))[0];
}

/** The availability of each of `events`, in their order, read in one query. */
export async function availabilities(ctx: AppContext, events: EventPost[]): Promise<Availability[]> {
  const counts = await eventStore(ctx.db).counts(events.map((ev) => ev.post_id));
  return events.map((ev) => availabilityFrom(ev, counts.get(ev.post_id)));
}

/** Events not over yet, soonest first, each with its availability (the /events page). */
export async function upcomingEvents(
  ctx: AppContext,
  limit = 200,
): Promise<{ ev: EventPost; availability: Availability }[]> {
  const now = ctx.now().toISOString();
  const events = await eventStore(ctx.db).published(now, { endingAfter: now, limit });
  const places = await availabilities(ctx, events);
  return events.map((ev, i) => ({ ev, availability: places[i] }));
}

export interface RegistrationRequest {
  email: string;
  name: string;
  answer: string;
  sourcePage: string;
}

/** Check a registration's fields; ValidationError names the field. */
export function checkRegistration(req: RegistrationRequest): RegistrationRequest {
  const name = req.name.trim();
  if (!name) throw new ValidationError("Please give your name.", { field: "name" });
  if (name.length > 200) throw new ValidationError("Your name can have at most 200 characters.", { field: "name" });
  if (!req.email.trim()) throw new ValidationError("Please give your email address.", { field: "email" });
  const email = normalizeEmail(req.email);
  const answer = req.answer.trim();
  if (answer.length > 2000)
    throw new ValidationError("Your answer can have at most 2000 characters.", { field: "answer" });
  return { email, name, answer, sourcePage: req.sourcePage.slice(0, 500) };
}

/** Refuse registration for an event that has started. */
export function assertOpen(ctx: AppContext, ev: EventPost): void {
  if (hasStarted(ev, ctx.now()))
    throw new HttpError(409, "Registration is closed: this event has already started or taken place.");
}

/**
 * Register for an event. Returns the status the person has now; a repeat registration keeps its
 * row and sends nothing (the visitor sees the same page either way).
 */
export async function register(
  ctx: AppContext,
  ev: EventPost,
  raw: RegistrationRequest,
  reader?: ReaderRequest,
): Promise<"registered" | "waitlisted"> {
  assertOpen(ctx, ev);
  const req = checkRegistration(raw);
  const { row, created } = await eventStore(ctx.db).register(ev.post_id, req, ctx.now().toISOString());
  const status = row.status === "waitlisted" ? "waitlisted" : "registered";
  if (created) {
    await emailRegistrant(ctx, ev, row, status);
    await contentChanged(ctx); // the page shows the places left
    await ctx.host.emit(ctx, "outcome", {
      kind: "registration",
      who: `registration:${row.id}`,
      postId: ev.post_id,
      reader,
      note: status === "waitlisted" ? "on the waitlist" : "",
    });
  }
  return status;
}

/** The cancel link of a registration (no expiry: it must work until the event). */
export function cancelUrl(ctx: AppContext, registrationId: number): string {
  return `${ctx.config.baseUrl}/events/cancel/${signToken(ctx.secret, "event-cancel", String(registrationId))}`;
}

/** The registration and event a cancel link is for, or NotFoundError. */
export async function cancelTarget(ctx: AppContext, token: string): Promise<{ reg: RegistrationRow; ev: EventPost }> {
  const payload = verifyToken(ctx.secret, "event-cancel", token, ctx.now().getTime());
  const store = eventStore(ctx.db);
  const reg = payload && /^\d+$/.test(payload) ? await store.registrationById(Number(payload)) : undefined;
  const ev = reg ? await store.byPostWithPost(reg.event_id) : undefined;
  if (!reg || !ev) throw new NotFoundError("This cancel link is not valid (the event may have been removed).");
  return { reg, ev };
}

/** Cancel by link; the freed place goes to the first on the waitlist, who is emailed. */
export async function cancelRegistration(ctx: AppContext, token: string): Promise<{ ev: EventPost; was: string }> {
  const { reg, ev } = await cancelTarget(ctx, token);
  const store = eventStore(ctx.db);
  // After the start a freed place helps nobody: no promotion emails for a past event.
  const { cancelled, promoted } = await store.cancel(reg.id, ctx.now().toISOString(), !hasStarted(ev, ctx.now()));
  for (const p of promoted) await emailRegistrant(ctx, ev, p, "promoted");
  if (cancelled) await contentChanged(ctx);
  return { ev, was: reg.status };
}

/**
 * The VEVENT of an event. The online link only `forGuest` (the calendar file a registered
 * guest is emailed); the public feed says "Online" and points at the page.
 */
export function icsEventOf(ctx: AppContext, ev: EventPost, forGuest = false): IcsEvent {
  const url = ctx.config.baseUrl + eventPath(ev);
  const online = ev.online_url ? (forGuest ? ev.online_url : "Online") : "";
  const description = [ev.summary, online && forGuest ? `Join online: ${online}` : "", `Details: ${url}`]
    .filter(Boolean)
    .join("\n\n");
  return {
    uid: `event-${ev.post_id}@${new URL(ctx.config.baseUrl).host}`,
    startsAt: ev.starts_at,
    endsAt: ev.ends_at,
    timeZone: ev.time_zone,
    summary: ev.title,
    description,
    location: ev.venue || online,
    url,
    updatedAt: ev.updated_at,
  };
}

/** An iCalendar document of events (the feed, or one event for a guest's email: `forGuest`). */
export async function calendarOf(ctx: AppContext, events: EventPost[], forGuest = false): Promise<string> {
  const settings = await getSiteSettings(ctx);
  return renderCalendar({
    method: "PUBLISH",
    name: `${settings.title}: events`,
    stamp: ctx.now().toISOString(),
    events: events.map((ev) => icsEventOf(ctx, ev, forGuest)),
  });
}

/** Queue one event email to a registrant (transactional: ahead of bulk sends). */
export async function emailRegistrant(
  ctx: AppContext,
  ev: EventPost,
  reg: RegistrationRow,
  kind: EventMailKind,
): Promise<void> {
  const settings = await getSiteSettings(ctx);
  const mail = eventMail({
    kind,
    title: ev.title,
    when: whenLine(ev, settings.language),
    venue: ev.venue,
    // The online link goes to guests with a place, never to the waitlist.
    onlineUrl: kind === "waitlisted" ? "" : ev.online_url,
    url: ctx.config.baseUrl + eventPath(ev),
    cancelUrl: cancelUrl(ctx, reg.id),
    siteTitle: settings.title,
  });
  const withCalendar = kind === "registered" || kind === "promoted";
  await queueTransactional(ctx, {
    to: reg.email,
    ...mail,
    attachments: withCalendar
      ? [
          {
            filename: "event.ics",
            contentType: "text/calendar; charset=utf-8; method=PUBLISH",
            content: Buffer.from(await calendarOf(ctx, [ev], true)),
          },
        ]
      : undefined,
  });
}

/** Send the reminder to everyone registered and not yet reminded; returns how many were queued. */
export async function sendReminders(ctx: AppContext, postId: number): Promise<number> {
  const store = eventStore(ctx.db);
  const ev = await store.byPostWithPost(postId);
  if (!ev || !isVisible(ev, ctx.now().toISOString()) || hasStarted(ev, ctx.now())) return 0;
  let sent = 0;
  for (const r of await store.toRemind(postId)) {
    // Claimed first: a second worker (or a retried job) skips anyone already reminded.
    if (!(await store.markReminded(r.id, ctx.now().toISOString()))) continue;
    await emailRegistrant(ctx, ev, r, "reminder");
    sent++;
  }
  return sent;
}
