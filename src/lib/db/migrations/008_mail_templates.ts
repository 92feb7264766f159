/**
 * Email templates as data (issue 11). Until now a send's HTML and text, and a transactional
 * row's own message, were finished text with `{{name}}` placeholders that the outbox replaced
 * for each message; now HTML and text are JSON lists of literal parts and slot references
 * (`{"slot": name}`, see src/mail/template.ts), and subjects are plain text. This converts what
 * is stored, so mail queued before the upgrade goes out as it would have:
 *
 * - a send's HTML and text: each real placeholder of a per-recipient value becomes a slot. The
 *   old renderers made the author's own text inert (`&#123;&#123;`, `{` + zero-width space + `{`),
 *   so only our placeholders look like `{{name}}`; anything else stays as it was, like before.
 *   (A slot a row has no value for is now left empty where the old outbox left the placeholder;
 *   every sender gave all its recipients the same values.)
 * - a send's subject with placeholders (no renderer made one): each waiting row gets its own
 *   subject, filled with its values as the old outbox did.
 * - a row's own message (transactional mail): filled in now with the row's values, as the old
 *   outbox would have at sending, and stored as one literal part.
 *
 * Self-contained on purpose: it keeps the old format's rules as they were, whatever the mail
 * module does later.
 */
import type { Kysely } from "kysely";
import type { Dialect } from "../index.ts";

type Part = string | { slot: string };

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
const HAS_PLACEHOLDER = /\{\{[a-z_]+\}\}/;
/** The per-recipient values the new templates have slots for. */
const SLOTS = new Set(["unsubscribe_url", "preferences_url", "click_ref", "name"]);
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** The old outbox's filling: a placeholder with a value is replaced (escaped in HTML), others stay. */
function oldFill(template: string, vars: Record<string, string>, html: boolean): string {
  return template.replace(PLACEHOLDER, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) return m;
    return html ? v.replace(/[&<>"']/g, (c) => ESCAPES[c]) : v;
  });
}

/** A send's template as parts: its placeholders of per-recipient values become slots. */
export function toParts(template: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    literal += template.slice(at, m.index);
    at = m.index + m[0].length;
    if (SLOTS.has(m[1])) {
      if (literal) parts.push(literal);
      parts.push({ slot: m[1] });
      literal = "";
    } else literal += m[0];
  }
  literal += template.slice(at);
  if (literal) parts.push(literal);
  return parts;
}

const parseVars = (json: string): Record<string, string> => {
  try {
    const v: unknown = JSON.parse(json);
    return v && typeof v === "object" ? (v as Record<string, string>) : {};
  } catch {
    return {};
  }
};

/**
 * Is `s` already a stored part list (this migration ran on it before)? Running twice must change
 * nothing: a converted template would otherwise be wrapped again and sent as JSON.
 */
function isParts(s: string | null): boolean {
  if (s === null || !s.startsWith("[")) return false;
  try {
    const v: unknown = JSON.parse(s);
    return Array.isArray(v) && v.every((p) => typeof p === "string" || typeof p?.slot === "string");
  } catch {
    return false;
  }
}

/** Rows per batch when reading the outbox. */
const BATCH = 500;

export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  const k = db as Kysely<any>;
  for (const send of await k.selectFrom("mail_sends").select(["id", "subject", "html", "text"]).execute()) {
    if (isParts(send.html) && isParts(send.text)) continue;
    await k
      .updateTable("mail_sends")
      .set({ html: JSON.stringify(toParts(send.html)), text: JSON.stringify(toParts(send.text)) })
      .where("id", "=", send.id)
      .execute();
    if (!HAS_PLACEHOLDER.test(send.subject)) continue;
    const waiting = await k
      .selectFrom("outbox")
      .select(["id", "vars"])
      .where("send_id", "=", send.id)
      .where("subject", "is", null)
      .where("status", "in", ["queued", "sending"])
      .execute();
    for (const row of waiting) {
      const subject = oldFill(send.subject, parseVars(row.vars), false);
      await k.updateTable("outbox").set({ subject }).where("id", "=", row.id).execute();
    }
  }

  // Rows with their own message, a batch at a time (the outbox can be long).
  let after = 0;
  for (;;) {
    const rows = await k
      .selectFrom("outbox")
      .select(["id", "subject", "html", "text", "vars"])
      .where("id", ">", after)
      .where((eb) => eb.or([eb("subject", "is not", null), eb("html", "is not", null), eb("text", "is not", null)]))
      .orderBy("id")
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if ((row.html === null || isParts(row.html)) && (row.text === null || isParts(row.text))) continue;
      const vars = parseVars(row.vars);
      const literal = (s: string | null, html: boolean) =>
        s === null ? null : JSON.stringify([oldFill(s, vars, html)]);
      await k
        .updateTable("outbox")
        .set({
          subject: row.subject === null ? null : oldFill(row.subject, vars, false),
          html: literal(row.html, true),
          text: literal(row.text, false),
        })
        .where("id", "=", row.id)
        .execute();
    }
    after = rows[rows.length - 1].id;
  }
}
