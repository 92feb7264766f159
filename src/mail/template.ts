/**
 * Email templates with per-recipient values as data. An email is rendered once, with the
 * escaping `h` template, and every per-recipient value is a typed *slot*: `slot("unsubscribe_url")`
 * renders as a marker that carries a nonce made for that one render. The HTML and text are split
 * at the markers into lists of literal parts and slot references, which is what the outbox
 * stores. Filling a recipient's message joins the parts with their values: HTML-escaped in the
 * HTML part, as they are in the text part.
 *
 * The subject is plain text, the same for every recipient: it is stored as it reads, because
 * people read it where sends are listed (the admin, `liner mail status`, a subscriber's history).
 *
 * Nothing in the literal parts is ever read as a slot: only our own `slot()` calls know the
 * nonce, so an author's "{{unsubscribe_url}}", or a marker copied from another email, is text.
 */
import { randomBytes } from "node:crypto";
import { type H, h, raw } from "../lib/html.ts";

/** The per-recipient values an email's HTML and text may hold. */
export const SLOT_NAMES = ["unsubscribe_url", "preferences_url", "click_ref", "name"] as const;
export type SlotName = (typeof SLOT_NAMES)[number];

/**
 * A recipient's values: the slots, plus `reply_to` (the Reply-To header) and `list_id` (List-Id).
 * `unsubscribe_url` also turns on the list headers (one-click unsubscribe).
 */
export type MailVars = Partial<Record<SlotName | "reply_to" | "list_id", string>>;

/** A literal part of a template, or a reference to a recipient's value. */
export type Part = string | { slot: SlotName };

/** A compiled email: the subject, and the HTML and text as lists of literal parts and slot references. */
export interface MailTemplate {
  subject: string;
  html: readonly Part[];
  text: readonly Part[];
}

/** An email as a renderer makes it: HTML made with `h`; slots interpolated where values go. */
export interface MailContent {
  subject: string;
  html: H;
  text: string;
}

/**
 * Makes a slot: interpolate it where the value goes, in `h`, in the text, or in a plain string that
 * ends up in either (a URL with `?s=${slot("click_ref")}`): its marker is the same escaped or not,
 * so the value is escaped (or not) for wherever the string lands.
 */
export type SlotFn = (name: SlotName) => H;

const OPEN = "\uE000";
const CLOSE = "\uE001";
const KNOWN = new Set<string>(SLOT_NAMES);

/**
 * Render an email once with slots for the per-recipient values and compile it. `render` gets
 * the `slot` function of this render; a slot used anywhere else is not one.
 */
export function mailTemplate(render: (slot: SlotFn) => MailContent): MailTemplate {
  const start = `${OPEN}${randomBytes(16).toString("hex")}:`;
  const slot: SlotFn = (name) => {
    // The type says so already; this keeps a name from outside (an `as` cast) out of the markers.
    if (!KNOWN.has(name)) throw new TypeError(`unknown email slot ${JSON.stringify(name)}`);
    return raw(`${start}${name}${CLOSE}`);
  };
  const c = render(slot);
  if (c.subject.includes(start)) throw new Error("an email's subject is the same for everyone: it takes no slot");
  return { subject: c.subject, html: split(String(c.html), start), text: split(c.text, start) };
}

/** An email without per-recipient values (one recipient, or the same for all). */
export function literalTemplate(c: MailContent): MailTemplate {
  return { subject: c.subject, html: [String(c.html)], text: [c.text] };
}

/** Split rendered output at this render's markers. */
function split(s: string, start: string): Part[] {
  const pieces = s.split(start);
  const parts: Part[] = pieces[0] ? [pieces[0]] : [];
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i];
    const end = piece.indexOf(CLOSE);
    if (end < 0) throw new Error("an email slot's marker was cut in two (a slot inside text that was shortened?)");
    parts.push({ slot: piece.slice(0, end) as SlotName });
    if (end + 1 < piece.length) parts.push(piece.slice(end + 1));
  }
  return parts;
}

/** A recipient's copy of one part list: values escaped for HTML when `html`, else as they are. */
export function fillParts(
  parts: readonly Part[],
  vars: Readonly<Record<string, string | undefined>>,
  html: boolean,
): string {
  let out = "";
  for (const p of parts) {
    if (typeof p === "string") out += p;
    else {
      const v = vars[p.slot] ?? "";
      out += html ? String(h`${v}`) : v;
    }
  }
  return out;
}

/** A recipient's subject, HTML and text. */
export function fillTemplate(t: MailTemplate, vars: Readonly<Record<string, string | undefined>>) {
  return { subject: t.subject, html: fillParts(t.html, vars, true), text: fillParts(t.text, vars, false) };
}

/** A part list as the outbox stores it (JSON). */
export function storeParts(parts: readonly Part[]): string {
  return JSON.stringify(parts);
}

/** A stored part list; throws on anything else (a template from before migration 008 included). */
export function loadParts(stored: string): Part[] {
  const parts: unknown = JSON.parse(stored);
  if (!Array.isArray(parts)) throw new TypeError("a stored email template is not a list of parts");
  for (const p of parts) {
    if (typeof p !== "string" && typeof (p as { slot?: unknown })?.slot !== "string") {
      throw new TypeError("a stored email template has a part that is neither text nor a slot");
    }
  }
  return parts as Part[];
}
