/**
 * The emails of an event (pure): registered, waitlisted, promoted from the waitlist, and the
 * reminder the day before, in the shared email layout. Each goes to one registrant, so it is
 * rendered whole; what the author or the registrant typed is escaped by the `h` template. Every
 * one carries the registrant's cancel link.
 */
import { h } from "../lib/html.ts";
import { emailLayout, emailLink, type MailContent, smallPrint } from "../mail/index.ts";

export type EventMailKind = "registered" | "waitlisted" | "promoted" | "reminder";

export interface EventMailInput {
  kind: EventMailKind;
  title: string;
  when: string;
  venue: string;
  onlineUrl: string;
  /** Absolute URL of the event page. */
  url: string;
  cancelUrl: string;
  siteTitle: string;
}

const subjects: Record<EventMailKind, (title: string) => string> = {
  registered: (t) => `You're registered: ${t}`,
  waitlisted: (t) => `You're on the waitlist: ${t}`,
  promoted: (t) => `A place opened up: you're registered for ${t}`,
  reminder: (t) => `Tomorrow: ${t}`,
};

const leads: Record<EventMailKind, (title: string) => string> = {
  registered: (t) => `You have a place at ${t}. The calendar file attached adds it to your calendar.`,
  waitlisted: (t) =>
    `${t} is full, so you are on the waitlist. If a place opens up, it is yours and we will email you at once.`,
  promoted: (t) => `A place opened up at ${t}, and it is yours. The calendar file attached adds it to your calendar.`,
  reminder: (t) => `A reminder: ${t} is in about 24 hours.`,
};

/** Subject, text and HTML of one event email. */
export function eventMail(m: EventMailInput): MailContent {
  const subject = subjects[m.kind](m.title);
  const lead = leads[m.kind](m.title);
  const cancelLine =
    m.kind === "waitlisted" ? "No longer interested? Leave the waitlist" : "Can't come after all? Cancel your place";
  const text = `${lead}\n\nWhen: ${m.when}\n${m.venue ? `Where: ${m.venue}\n` : ""}${m.onlineUrl ? `Online: ${m.onlineUrl}\n` : ""}Details: ${m.url}\n\n${cancelLine}: ${m.cancelUrl}\n${
    m.kind === "waitlisted" ? "" : "(Your place then goes to the first person on the waitlist.)\n"
  }\n--\n${m.siteTitle}\n`;
  const html = emailLayout({
    title: m.title,
    body: h`<p>${lead}</p>
<p><strong>When:</strong> ${m.when}</p>
${m.venue ? h`<p><strong>Where:</strong> ${m.venue}</p>\n` : ""}${m.onlineUrl ? h`<p><strong>Online:</strong> ${emailLink(m.onlineUrl, m.onlineUrl)}</p>\n` : ""}<p>${emailLink(m.url, "Event details")}</p>`,
    footer: h`${smallPrint(h`${cancelLine}: ${emailLink(m.cancelUrl, m.cancelUrl)}`)}
${smallPrint(m.siteTitle)}`,
  });
  return { subject, text, html };
}
