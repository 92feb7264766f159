/**
 * Putting mail in the outbox: transactional messages (one recipient, sent ahead of bulk mail)
 * and sends (one template to many recipients, each with their own values), and reading a
 * send's progress with its rate and ETA.
 */
import { randomUUID } from "node:crypto";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { H } from "../lib/html.ts";
import { ensureDeliveryJob } from "./deliver-job.ts";
import { newMessageId } from "./message.ts";
import { mailStore, type NewOutboxRow, type SendProgress, type SendRow } from "./store.ts";
import { type MailTemplate, type MailVars, storeParts } from "./template.ts";

export const TRANSACTIONAL = 0;
export const BULK = 10;

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * One message to one person, rendered for them: nothing is filled in later. `html` is made with
 * the escaping `h` template (an `H`) and the shared email layout.
 */
export interface TransactionalMail {
  to: string;
  subject: string;
  /** Made with the escaping template (`h`), in the shared layout (`emailLayout`). */
  html: H;
  text: string;
  attachments?: Attachment[];
  subscriberId?: number;
  /** Where replies go (e.g. the visitor who sent an inquiry); kept as the row's `reply_to` value. */
  replyTo?: string;
  /** Not sent after this time (it holds a link that stops working then). */
  expiresAt?: Date;
  /** An opaque key to withdraw it by while it waits (`withdrawTopic`), e.g. a user's reset mail. */
  topic?: string;
}

// A local part without spaces, brackets or empty dot-separated parts, and a domain of at least two
// non-empty labels (so "a@example.net." and "a..b@x.org", which SMTP servers refuse, are caught here).
const EMAIL = /^[^\s@<>.]+(?:\.[^\s@<>.]+)*@[^\s@<>.]+(?:\.[^\s@<>.]+)+$/;

/** Lower-case, trimmed address, or a ValidationError naming `field`. */
export function normalizeEmail(raw: string, field = "email"): string {
  const email = raw.trim().toLowerCase();
  if (email === "") throw new ValidationError("Enter an email address.", { field });
  if (!EMAIL.test(email) || email.length > 254) {
    throw new ValidationError(`${JSON.stringify(raw.trim())} is not an email address`, { field });
  }
  return email;
}

/** Queue one transactional message; returns its outbox id. */
export async function queueTransactional(ctx: AppContext, mail: TransactionalMail): Promise<number> {
  const to = normalizeEmail(mail.to, "to");
  const replyTo = mail.replyTo ? normalizeEmail(mail.replyTo, "replyTo") : undefined;
  const at = ctx.now().toISOString();
  const row: NewOutboxRow = {
    priority: TRANSACTIONAL,
    to_email: to,
    subscriber_id: mail.subscriberId ?? null,
    message_id: newMessageId(ctx.config.mail.from, randomUUID()),
    subject: mail.subject,
    html: storeParts([String(mail.html)]),
    text: storeParts([mail.text]),
    attachments: JSON.stringify((mail.attachments ?? []).map((a) => ({ ...a, content: a.content.toString("base64") }))),
    vars: JSON.stringify(replyTo ? { reply_to: replyTo } : {}),
    next_attempt_at: at,
    created_at: at,
    expires_at: mail.expiresAt?.toISOString() ?? null,
    topic: mail.topic ?? null,
  };
  const store = mailStore(ctx.db);
  await store.insertRows([row]);
  await ensureDeliveryJob(ctx);
  return store.idOfMessage(row.message_id);
}

export interface Recipient {
  email: string;
  subscriberId?: number;
  listId?: number;
  vars: MailVars;
}

/** A send: its template (from `mailTemplate`, with slots for each recipient's `vars`) and what it is. */
export interface NewSend extends MailTemplate {
  kind: string;
  postId?: number;
  listIds?: number[];
  createdBy?: number;
}

/** Queue a send to `recipients` (suppressed addresses and duplicates are left out); returns its id. */
export async function createSend(ctx: AppContext, send: NewSend, recipients: Recipient[]): Promise<number> {
  const store = mailStore(ctx.db);
  const at = ctx.now().toISOString();
  const seen = new Set<string>();
  const unique = recipients.filter((r) => !seen.has(r.email) && seen.add(r.email));
  const blocked = new Set<string>();
  for (let i = 0; i < unique.length; i += 500) {
    for (const e of await store.suppressed(unique.slice(i, i + 500).map((r) => r.email))) blocked.add(e);
  }
  const wanted = unique.filter((r) => !blocked.has(r.email));
  const id = await store.createSend({
    kind: send.kind,
    subject: send.subject,
    html: storeParts(send.html),
    text: storeParts(send.text),
    post_id: send.postId ?? null,
    list_ids: JSON.stringify(send.listIds ?? []),
    // With nobody to send to (lists with no confirmed subscribers) it is done at once, rather
    // than "sending" until a delivery job that may never run (no SMTP_URL yet) finds nothing.
    status: wanted.length ? "sending" : "done",
    total: wanted.length,
    created_by: send.createdBy ?? null,
    created_at: at,
    started_at: at,
    finished_at: wanted.length ? null : at,
  });
  const prefix = randomUUID();
  await store.insertRows(
    wanted.map((r, i) => ({
      send_id: id,
      priority: BULK,
      to_email: r.email,
      subscriber_id: r.subscriberId ?? null,
      list_id: r.listId ?? null,
      message_id: newMessageId(ctx.config.mail.from, `${prefix}.${i}`),
      vars: JSON.stringify(r.vars),
      next_attempt_at: at,
      created_at: at,
    })),
  );
  await ensureDeliveryJob(ctx);
  return id;
}

export interface SendStatusReport {
  send: SendRow;
  progress: SendProgress;
  /** Messages per second since the first one went, or null before two have gone. */
  rate: number | null;
  /** Seconds until the rest is sent at that rate, or null. */
  etaSeconds: number | null;
}

/** A send's progress with its rate and ETA. */
export async function sendStatus(ctx: AppContext, id: number): Promise<SendStatusReport> {
  const store = mailStore(ctx.db);
  const send = await store.sendById(id);
  if (!send) throw new NotFoundError(`There is no send with id ${id}.`);
  const progress = await store.progress(id);
  let rate: number | null = null;
  if (progress.firstSentAt && progress.lastSentAt && progress.sent > 1) {
    const seconds = (Date.parse(progress.lastSentAt) - Date.parse(progress.firstSentAt)) / 1000;
    rate = seconds > 0 ? (progress.sent - 1) / seconds : null;
  }
  const left = progress.queued + progress.sending;
  return { send, progress, rate, etaSeconds: rate && left ? left / rate : left ? null : 0 };
}
