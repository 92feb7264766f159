/**
 * Inquiries ("Work with me"): validate what a visitor sent, keep it with the page it was sent
 * from and the referrer of the visit (for outcome attribution), and email it to the owner with
 * Reply-To set to the visitor. Nothing is ever sent to the visitor's address: the form would
 * otherwise let anyone mail anyone through this site.
 */

import { ownerEmail } from "../auth/index.ts";
import { postAtPath } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import type { ReaderRequest } from "../lib/module.ts";
import { normalizeEmail, queueTransactional } from "../mail/index.ts";
import { inquiryEmail } from "./email.ts";
import { type InquiryRow, inquiryStore } from "./store.ts";

/** The form's own path: the source page when nothing better is known. */
export const FORM_PATH = "/work-with-me";
export const LIMITS = { name: 200, topic: 200, message: 10_000, path: 500, referrer: 1000, intro: 2000 };
export const DEFAULT_INTRO =
  "Want to work together on writing, a talk or a workshop? Tell me a little about it and I will get back to you.";

export interface InquiryInput {
  name: string;
  email: string;
  topic: string;
  message: string;
  sourcePage: string;
  referrer: string;
}

// Control characters other than tab and newline never belong in a message (or in a header).
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above; no `g`, so `test` keeps no state
const HAS_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
const oneLine = (s: string) => s.replace(/\s+/g, " ").replace(CONTROL, "").trim();

/** A same-site path (with query) for `raw`, a path or an absolute URL on this site; else undefined. Pure. */
export function sameSitePath(raw: string, baseUrl: string): string | undefined {
  const s = raw.trim();
  if (!s || s.length > LIMITS.path || HAS_CONTROL.test(s) || (!s.startsWith("/") && !/^https?:\/\//i.test(s))) return;
  try {
    const u = new URL(s, baseUrl);
    if (u.origin !== new URL(baseUrl).origin) return;
    const path = u.pathname + u.search;
    // "//host" would be another site again once it is used as a link.
    return path.length <= LIMITS.path && !path.startsWith("//") ? path : undefined;
  } catch {
    return;
  }
}

/** An off-site http(s) URL, or a `ref=token` tag (e.g. from links in our emails); else "". Pure. */
export function cleanReferrer(raw: string, baseUrl: string): string {
  const s = raw.trim();
  if (/^ref=[\w.-]{1,40}$/.test(s)) return s;
  if (s.length > LIMITS.referrer || HAS_CONTROL.test(s) || !/^https?:\/\//i.test(s)) return "";
  try {
    const u = new URL(s);
    return u.origin === new URL(baseUrl).origin ? "" : u.href;
  } catch {
    return "";
  }
}

/**
 * Where a visit to the form came from: the `from` parameter when it is a path on this site, else
 * the page that linked here (Referer on this site); and the external referrer (Referer from
 * another site) or the `ref` tag of the link. Pure.
 */
export function attribution(q: { from?: string; ref?: string; referer?: string }, baseUrl: string) {
  const referer = q.referer ?? "";
  const fromReferer = /^https?:\/\//i.test(referer) ? sameSitePath(referer, baseUrl) : undefined;
  const sourcePage = sameSitePath(q.from ?? "", baseUrl) ?? fromReferer ?? FORM_PATH;
  const referrer = cleanReferrer(referer, baseUrl) || cleanReferrer(q.ref ? `ref=${q.ref}` : "", baseUrl);
  return { sourcePage, referrer };
}

/** Validate a posted inquiry; throws ValidationError naming the field. Pure. */
export function parseInquiry(input: InquiryInput, baseUrl: string): InquiryInput {
  const name = oneLine(input.name);
  if (!name) throw new ValidationError("Please enter your name.", { field: "name" });
  if (name.length > LIMITS.name)
    throw new ValidationError("Your name is too long (200 characters at most).", { field: "name" });
  if (!input.email.trim()) throw new ValidationError("Please enter your email address.", { field: "email" });
  const email = normalizeEmail(input.email);
  const topic = oneLine(input.topic);
  if (topic.length > LIMITS.topic)
    throw new ValidationError("The topic is too long (200 characters at most).", { field: "topic" });
  const message = input.message.replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  if (!message) throw new ValidationError("Please write a message.", { field: "message" });
  if (message.length > LIMITS.message)
    throw new ValidationError("The message is too long (10,000 characters at most).", { field: "message" });
  return {
    name,
    email,
    topic,
    message,
    sourcePage: sameSitePath(input.sourcePage, baseUrl) ?? FORM_PATH,
    referrer: cleanReferrer(input.referrer, baseUrl),
  };
}

/** Store an inquiry, then queue it to the owner (Reply-To: the visitor). Returns the stored row. */
export async function submitInquiry(ctx: AppContext, input: InquiryInput, reader?: ReaderRequest): Promise<InquiryRow> {
  const p = parseInquiry(input, ctx.config.baseUrl);
  const store = inquiryStore(ctx.db);
  const row = await store.insert({
    name: p.name,
    email: p.email,
    topic: p.topic,
    message: p.message,
    source_page: p.sourcePage,
    referrer: p.referrer,
    status: "new",
    created_at: ctx.now().toISOString(),
  });
  const owner = await ownerEmail(ctx);
  // Without an owner account (before setup) the inquiry still waits in the admin.
  if (owner) await queueTransactional(ctx, { to: owner, replyTo: p.email, ...inquiryEmail(row, ctx.config.baseUrl) });
  else ctx.log.warn("inquiry stored, but there is no owner account to email it to", { id: row.id });
  await ctx.host.emit(ctx, "outcome", {
    kind: "inquiry",
    who: `inquiry:${row.id}`,
    // Asked after reading a post (the form's "from"): the post gets the credit.
    postId: (await postAtPath(ctx, p.sourcePage))?.id,
    reader,
    note: p.topic,
  });
  return row;
}

/** Recent inquiries, newest first, and how many are not answered yet. */
export async function listInquiries(ctx: AppContext, limit = 200) {
  const store = inquiryStore(ctx.db);
  return { inquiries: await store.recent(limit), unanswered: await store.countNew() };
}

/** Mark an inquiry answered (or new again). */
export async function setInquiryStatus(ctx: AppContext, id: number, status: "answered" | "new"): Promise<void> {
  if (!(await inquiryStore(ctx.db).setStatus(id, status))) throw new NotFoundError("There is no such inquiry.");
}

/** The page's options: its intro text (the default when not set). */
export async function inquiryOptions(ctx: AppContext): Promise<{ intro: string }> {
  const intro = await inquiryStore(ctx.db).intro();
  return { intro: intro.trim() ? intro : DEFAULT_INTRO };
}

/** Save the intro text; empty brings back the default. */
export async function saveInquiryOptions(ctx: AppContext, input: { intro: string }): Promise<void> {
  const intro = input.intro.replace(/\r\n?/g, "\n").replace(CONTROL, "").trim();
  if (intro.length > LIMITS.intro)
    throw new ValidationError("The intro is too long (2,000 characters at most).", { field: "intro" });
  await inquiryStore(ctx.db).saveIntro(intro);
}
