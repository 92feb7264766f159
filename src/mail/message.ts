/**
 * From an outbox row (and its send, for bulk mail) to the message the transport sends: the
 * template filled with the recipient's values, and the list headers (RFC 2369 List-Unsubscribe
 * with RFC 8058 one-click). Pure.
 */
import type { OutgoingMessage } from "./transport.ts";

/** Per-recipient values; `unsubscribe_url` turns on the list headers, `reply_to` sets Reply-To. */
export type MailVars = Record<string, string>;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

/**
 * Replace `{{name}}` with `vars.name` (HTML-escaped when `html`). Names without a value are left
 * as they are: a post about templates may well contain "{{name}}" itself.
 */
export function fillTemplate(template: string, vars: MailVars, html: boolean): string {
  return template.replace(/\{\{([a-z_]+)\}\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) return m;
    return html ? escapeHtml(v) : v;
  });
}

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

export interface SendTemplate {
  subject: string;
  html: string;
  text: string;
}

/** Build the message for a row; a bulk row without its own body takes its send's template. */
export function buildMessage(row: RowMessage, send: SendTemplate | undefined): OutgoingMessage {
  const vars = JSON.parse(row.vars) as MailVars;
  const subject = row.subject ?? send?.subject ?? "";
  const html = row.html ?? send?.html ?? "";
  const text = row.text ?? send?.text ?? "";
  const attachments = (JSON.parse(row.attachments) as { filename: string; contentType: string; content: string }[]).map(
    (a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, "base64") }),
  );
  return {
    to: row.to_email,
    subject: fillTemplate(subject, vars, false),
    html: fillTemplate(html, vars, true),
    text: fillTemplate(text, vars, false),
    messageId: row.message_id,
    headers: listHeaders(vars),
    replyTo: vars.reply_to || undefined,
    attachments: attachments.length ? attachments : undefined,
  };
}
