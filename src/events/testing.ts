/**
 * Test support for events: a context with a real SMTP sink, an event post, registering through
 * the public form (token from the uncached page, then a person's pace), delivery, and reading
 * the cancel link and the .ics attachment out of a received message.
 */
import assert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "../app.ts";
import { savePost, saveTheme, systemActor } from "../content/testing.ts";
import type { AppEnv } from "../lib/http/env.ts";
import { createTestContext, type TestContext } from "../lib/testing.ts";
import { createMailer, deliverDue, type Received, type SmtpSink, smtpSink } from "../mail/testing.ts";
import { type EventFormValues, parseEventFields } from "./fields.ts";
import { saveEventDetails } from "./service.ts";

// For tests elsewhere (the browser's page checks) that make an event on their own context.
export { parseEventFields, saveEventDetails };

export interface EventsWorld {
  ctx: TestContext;
  sink: SmtpSink;
  app: Hono<AppEnv>;
  themeId: number;
  close(): Promise<void>;
}

/** A fresh context at 2026-05-01 10:00 UTC with mail going to a sink. */
export async function eventsWorld(): Promise<EventsWorld> {
  const sink = await smtpSink();
  const ctx = await createTestContext();
  ctx.config.mail = { ...ctx.config.mail, smtpUrl: sink.url, from: "Ann <ann@example.com>" };
  ctx.setNow(new Date("2026-05-01T10:00:00Z"));
  const themeId = (await saveTheme(ctx, { name: "Workshops" })).id;
  return {
    ctx,
    sink,
    app: await createApp(ctx),
    themeId,
    async close() {
      await ctx.cleanup();
      await sink.close();
    },
  };
}

/** Move the clock by `ms`. */
export const later = (ctx: TestContext, ms: number) => ctx.setNow(new Date(ctx.now().getTime() + ms));

/** A published event post; `fields` override a 2-place workshop in Berlin on 12 May 2026, 18:00–19:30. */
export async function makeEvent(
  w: EventsWorld,
  opts: { title?: string; slug?: string; status?: "published" | "draft"; fields?: Partial<EventFormValues> } = {},
) {
  const post = await savePost(w.ctx, systemActor, {
    kind: "event",
    title: opts.title ?? "Owning your audience, a workshop",
    slug: opts.slug,
    summary: "Two hours on lists, consent and events",
    body: "We will *build* a list together.",
    themeIds: [w.themeId],
    status: opts.status ?? "published",
  });
  const fields: EventFormValues = {
    eventStart: "2026-05-12T18:00",
    eventEnd: "2026-05-12T19:30",
    eventTimeZone: "Europe/Berlin",
    eventVenue: "Kulturhaus, Saal 2, Berlin",
    eventOnlineUrl: "https://meet.example.com/owning",
    eventCapacity: "2",
    eventQuestion: "What do you want to learn?",
    ...opts.fields,
  };
  await saveEventDetails(w.ctx, post.id, parseEventFields(fields));
  return post;
}

/** Register through the public form like a person: fresh token, a few seconds, POST. */
export async function registerVia(
  w: EventsWorld,
  slug: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const page = await (await w.app.request(`/events/${slug}/register`)).text();
  const t = /name="t" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(t, "the registration page carries a form token");
  later(w.ctx, 5000);
  return w.app.request(`/events/${slug}/register`, {
    method: "POST",
    body: new URLSearchParams({ t, website: "", ...fields }),
    headers: { "content-type": "application/x-www-form-urlencoded", referer: `http://x/posts/${slug}`, ...headers },
  });
}

/** Deliver everything due to the sink. */
export async function deliver(w: EventsWorld, concurrency?: number) {
  const mailer = createMailer({ ...w.ctx.config.mail, smtpUrl: w.sink.url });
  try {
    return await deliverDue(w.ctx, mailer, { ratePerSecond: 1000, concurrency });
  } finally {
    mailer.close();
  }
}

/** Messages received for one address. */
export const mailTo = (w: EventsWorld, email: string) => w.sink.received.filter((m) => m.to.includes(email));

/** The raw message with quoted-printable soft line breaks undone. */
const unfolded = (m: Received) => m.raw.replace(/=\r?\n/g, "");

/** The cancel link in a message (path only). */
export function cancelPath(m: Received): string {
  const url = /(http:\/\/[^\s"<]+\/events\/cancel\/[A-Za-z0-9_.-]+)/.exec(unfolded(m))?.[1];
  assert.ok(url, "the email carries a cancel link");
  return new URL(url).pathname;
}

/** The decoded text/calendar attachment of a message, or undefined when it has none. */
export function icsOf(m: Received): { text: string; contentType: string } | undefined {
  const part =
    /Content-Type: (text\/calendar[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)\r?\n((?:[\w-]+: [^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n)*)\r?\n([\s\S]*?)\r?\n--/i.exec(
      m.raw,
    );
  if (!part) return undefined;
  const encoding = /Content-Transfer-Encoding: ([\w-]+)/i.exec(part[2])?.[1]?.toLowerCase();
  const body = part[3];
  const text =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? body
            .replace(/=\r?\n/g, "")
            .replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
        : body;
  return { text, contentType: part[1].replace(/\s+/g, " ") };
}
