/**
 * From an outbox row (and its send, for bulk mail) to the message the transport sends: the
 * template filled with the recipient's values, and the list headers (RFC 2369 List-Unsubscribe
 * with RFC 8058 one-click). Pure.
 */
import { fillParts, loadParts, type MailTemplate, type MailVars } from "./template.ts";
import type { OutgoingMessage } from "./transport.ts";

/** The list headers for a recipient: one-click unsubscribe (POST to the https URL) and a List-Id. */
export function listHeaders(vars: MailVars): Record<string, string> {
  const headers: Record<string, string> = {};
  if (vars.unsubscribe_url) {
    headers["List-Unsubscribe"] = `<${vars.unsubscribe_url}>`;
    headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  }
  if (vars.list_id) headers["List-Id"] = vars.list_id;
  return headers;
}

/** A new Message-ID for a row, in the sender's domain; stored with the row so resends reuse it. */
export function newMessageId(fromAddress: string, unique: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(fromAddress)?.[1] ?? "liner.invalid";
  return `<${unique}@${domain}>`;
}

export interface RowMessage {
  to_email: string;
  message_id: string;
  subject: string | null;
  html: string | null;
  text: string | null;
  vars: string;
  attachments: string;
}

/** A send's stored template, read once per send (not per recipient). */
export function loadTemplate(stored: { subject: string; html: string; text: string }): MailTemplate {
  return { subject: stored.subject, html: loadParts(stored.html), text: loadParts(stored.text) };
}

const none: MailTemplate = { subject: "", html: [], text: [] };

/** Build the message for a row; a bulk row without its own body takes its send's template. */
export function buildMessage(row: RowMessage, send: MailTemplate | undefined): OutgoingMessage {
  const vars = JSON.parse(row.vars) as Record<string, string>;
  const t = send ?? none;
  const html = row.html === null ? t.html : loadParts(row.html);
  const text = row.text === null ? t.text : loadParts(row.text);
  const attachments = (JSON.parse(row.attachments) as { filename: string; contentType: string; content: string }[]).map(
    (a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, "base64") }),
  );
  return {
    to: row.to_email,
    subject: row.subject ?? t.subject,
    html: fillParts(html, vars, true),
    text: fillParts(text, vars, false),
    messageId: row.message_id,
    headers: listHeaders(vars),
    replyTo: vars.reply_to || undefined,
    attachments: attachments.length ? attachments : undefined,
  };
}
