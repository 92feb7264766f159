/**
 * Request body limits for every route, applied before anything reads a body: a small limit for
 * forms, and the upload limit (`config.maxUploadBytes`) only on the routes that take files. A body
 * over its limit is refused with 413 at once by its Content-Length, or, when it is sent chunked,
 * as soon as the bytes read pass the limit (hono's bodyLimit does both).
 *
 * A form body that cannot be parsed (no multipart boundary, a truncated part) is a 400 naming the
 * form, not a 500 wherever the body is first read: `formsParsedEarly` parses it right after the
 * limit, and the parse is cached for the CSRF check and the route.
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Config } from "../config.ts";
import { HttpError } from "../errors.ts";
import type { AppEnv } from "./env.ts";

/** A form anyone can send (sign-in, subscribe, the public forms): a few fields of text. */
export const FORM_BYTES = 64 * 1024;
/** A signed-in form without files: the digest editor's blurbs, a list's description. */
export const ADMIN_FORM_BYTES = 512 * 1024;
/** Room for multipart framing and the text fields of a form that carries a file. */
const FORM_OVERHEAD = 256 * 1024;
/** A post's text: 2,000,000 characters of up to 3 bytes each in UTF-8, and the other fields. */
const POST_TEXT_BYTES = 6 * 1024 * 1024 + FORM_OVERHEAD;
/** The OPML import's own limit on its file (reader/sources). */
const OPML_BYTES = 5 * 1024 * 1024;

/** One route's limit. The first rule whose `path` matches applies, if its `when` agrees. */
export interface BodyRule {
  path: RegExp;
  /** Read per request: tests lower `config.maxUploadBytes` on a running app. */
  bytes: () => number;
  /** True when the route takes files: the 413 message speaks of the upload limit. */
  upload?: boolean;
  /** Only when this answers true (otherwise the next rule applies). */
  when?: () => Promise<boolean>;
}

export interface BodyRuleHooks {
  /** Whether an owner setup link can still be used (no owner yet): its form takes a photo. */
  ownerSetupOpen: () => Promise<boolean>;
}

/**
 * The site's body limits by path. A module that adds a route taking files adds it here, or its
 * uploads are refused at the form limit.
 */
export function siteBodyRules(config: Config, hooks: BodyRuleHooks): BodyRule[] {
  const upload = () => config.maxUploadBytes;
  return [
    { path: /^\/admin\/media$/, bytes: () => upload() + FORM_OVERHEAD, upload: true },
    // The editor: a cover image, a PDF and the post's text in one form.
    { path: /^\/admin\/posts\/(?:new|\d+)$/, bytes: () => 2 * upload() + POST_TEXT_BYTES, upload: true },
    { path: /^\/admin\/(?:posts\/\d+\/autosave|preview)$/, bytes: () => POST_TEXT_BYTES },
    { path: /^\/admin\/settings$/, bytes: () => upload() + FORM_OVERHEAD, upload: true },
    { path: /^\/admin\/sources\/import$/, bytes: () => Math.max(upload(), OPML_BYTES) + FORM_OVERHEAD, upload: true },
    // A CSV file, or the same text pasted and sent urlencoded (up to 3 bytes per byte).
    { path: /^\/admin\/subscribers\/import$/, bytes: () => 3 * upload() + FORM_BYTES, upload: true },
    { path: /^\/admin(?:\/|$)/, bytes: () => ADMIN_FORM_BYTES },
    // The owner's setup form takes a photo; once an owner exists, setup links are for editors (no files).
    { path: /^\/setup\/[^/]+$/, bytes: () => upload() + FORM_OVERHEAD, upload: true, when: hooks.ownerSetupOpen },
    { path: /^\/mail\/webhook$/, bytes: () => 1024 * 1024 },
    // The inquiry form (inquiries): a 10,000-character message in any script, urlencoded.
    { path: /^\/work-with-me$/, bytes: () => 256 * 1024 },
    // A fediverse inbox (fediverse): an activity is a few KB; a long article with its HTML fits.
    { path: /^\/ap\/(?:inbox|actor\/[^/]+\/inbox)$/, bytes: () => 256 * 1024 },
  ];
}

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.ceil(n / 1024)} KB` : `${n} bytes`;

/** The limit for a request: the first rule that applies, else `fallback`. */
async function limitOf(rules: BodyRule[], path: string, fallback: number): Promise<{ bytes: number; upload: boolean }> {
  for (const r of rules) {
    if (!r.path.test(path) || (r.when && !(await r.when()))) continue;
    return { bytes: r.bytes(), upload: r.upload ?? false };
  }
  return { bytes: fallback, upload: false };
}

/** The 413 for a body over `bytes` (its size when the Content-Length says it). */
function tooLarge(c: Context<AppEnv>, bytes: number, upload: boolean, maxUpload: number): HttpError {
  const len = Number(c.req.header("content-length"));
  // A chunked body has no stated size: it is only known to be over the limit.
  const known = Number.isFinite(len) && len > 0;
  if (upload) {
    const sent = known ? `The upload is ${size(len)}` : "The upload is too large";
    return new HttpError(413, `${sent}: files may be up to ${size(maxUpload)} each.`);
  }
  const sent = known ? `The form sent ${size(len)}` : "The form sent too much";
  return new HttpError(413, `${sent}: this form takes at most ${size(bytes)}.`);
}

/**
 * Could the request carry a body? Asked of the method and headers only: touching `c.req.raw.body`
 * makes @hono/node-server build a full Request with a stream for every request, which cost the
 * uncached GET path 8% of its throughput and 50 MB of memory.
 */
function mayHaveBody(c: Context<AppEnv>): boolean {
  const m = c.req.method;
  if (m === "GET" || m === "HEAD" || m === "OPTIONS") return false;
  return c.req.raw.body !== null;
}

/** Bound every request body by its route's rule (`fallback` for routes no rule names). */
export function bodyLimits(config: Config, rules: BodyRule[], fallback = FORM_BYTES): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!mayHaveBody(c)) return next();
    const { bytes, upload } = await limitOf(rules, c.req.path, fallback);
    const limit = bodyLimit({
      maxSize: bytes,
      onError: () => {
        const e = tooLarge(c, bytes, upload, config.maxUploadBytes);
        // A program's POST (JSON: a fediverse server's activity) gets plain text, not a page about forms.
        const type = c.req.header("content-type") ?? "";
        if (/json/i.test(type))
          return c.text(
            `${e.message.replace(/^The form sent/, "The body is").replace("this form takes", "this address takes")}\n`,
            413,
          );
        throw e;
      },
    });
    return limit(c, next);
  };
}

const FORM_TYPES = new Set(["multipart/form-data", "application/x-www-form-urlencoded"]);

/** The posted form, all values of repeated fields; a body that cannot be parsed is a 400. */
export async function parseForm(c: Context<AppEnv>): Promise<Record<string, string | File | (string | File)[]>> {
  try {
    return await c.req.parseBody({ all: true });
  } catch (err) {
    const type = c.req.header("content-type")?.split(";")[0]?.trim() || "form";
    throw new HttpError(400, `The form sent to ${c.req.path} could not be read: its ${type} body is malformed.`, {
      cause: err,
    });
  }
}

/**
 * Parse a form body now (after the limit), so that a malformed one is a 400 before the CSRF
 * check or a route reads it; they get the parsed form from hono's cache. Paths matching `skip`
 * are left alone (the admin is its own app and parses its bodies itself).
 */
export function formsParsedEarly(skip?: RegExp): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (FORM_TYPES.has(type) && mayHaveBody(c) && !skip?.test(c.req.path)) {
      await parseForm(c);
      // The bytes again for whatever reads the raw stream later (a route's own body limit).
      c.req.raw = new Request(c.req.raw, { body: await c.req.arrayBuffer() });
    }
    await next();
  };
}
