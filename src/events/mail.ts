import type { MailVars } from "../mail/index.ts";
/**
 * The emails of an event (pure): registered, waitlisted, promoted from the waitlist, and the
 * reminder the day before. Templates hold only our own words; everything the author or the
 * registrant typed travels in `vars`, which the outbox fills in (HTML-escaped) per message.
 * Every one carries the registrant's cancel link.
 */

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

const subjects: Record<EventMailKind, string> = {
  registered: "You're registered: {{title}}",
  waitlisted: "You're on the waitlist: {{title}}",
  promoted: "A place opened up: you're registered for {{title}}",
  reminder: "Tomorrow: {{title}}",
};

const leads: Record<EventMailKind, string> = {
  registered: "You have a place at {{title}}. The calendar file attached adds it to your calendar.",
  waitlisted:
    "{{title}} is full, so you are on the waitlist. If a place opens up, it is yours and we will email you at once.",
  promoted: "A place opened up at {{title}}, and it is yours. The calendar file attached adds it to your calendar.",
  reminder: "A reminder: {{title}} is in about 24 hours.",
};

const S = 'style="color:#1a4f8b"';

/** Subject, text, HTML and vars of one event email. */
export function eventMail(m: EventMailInput): { subject: string; text: string; html: string; vars: MailVars } {
  const vars: MailVars = {
    title: m.title,
    when: m.when,
    venue: m.venue,
    online_url: m.onlineUrl,
    url: m.url,
    cancel_url: m.cancelUrl,
    site: m.siteTitle,
  };
  const where = [
    m.venue ? { text: "Where: {{venue}}\n", html: "<p><strong>Where:</strong> {{venue}}</p>" } : null,
    m.onlineUrl
      ? {
          text: "Online: {{online_url}}\n",
          html: `<p><strong>Online:</strong> <a href="{{online_url}}" ${S}>{{online_url}}</a></p>`,
        }
      : null,
  ].filter((x) => x !== null);
  const cancelLine =
    m.kind === "waitlisted" ? "No longer interested? Leave the waitlist" : "Can't come after all? Cancel your place";
  const text = `${leads[m.kind]}\n\nWhen: {{when}}\n${where.map((w) => w.text).join("")}Details: {{url}}\n\n${cancelLine}: {{cancel_url}}\n${
    m.kind === "waitlisted" ? "" : "(Your place then goes to the first person on the waitlist.)\n"
  }\n--\n{{site}}\n`;
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}}</title></head>
<body style="margin:0;padding:0;font-family:Georgia,serif;font-size:17px;line-height:1.5;color:#1a1a1a;background:#ffffff">
<div style="max-width:600px;margin:0 auto;padding:24px 16px">
<p>${leads[m.kind]}</p>
<p><strong>When:</strong> {{when}}</p>
${where.map((w) => w.html).join("\n")}
<p><a href="{{url}}" ${S}>Event details</a></p>
<hr style="border:0;border-top:1px solid #cccccc;margin:28px 0 14px">
<p style="font-size:14px;color:#555555">${cancelLine}: <a href="{{cancel_url}}" ${S}>{{cancel_url}}</a></p>
<p style="font-size:14px;color:#555555">{{site}}</p>
</div></body></html>`;
  return { subject: subjects[m.kind], text, html, vars };
}
