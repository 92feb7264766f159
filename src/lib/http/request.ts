/** Small helpers for reading submitted forms and the acting user. */
import type { Context } from "hono";
import { HttpError } from "../errors.ts";
import type { Actor } from "../roles.ts";
import { parseForm } from "./body-limits.ts";
import type { AppEnv, SessionUser } from "./env.ts";

export type Body = Record<string, string | File | (string | File)[]>;

/** The form body, with repeated fields as arrays; a body that cannot be parsed is a 400. */
export async function formBody(c: Context<AppEnv>): Promise<Body> {
  return (await parseForm(c)) as Body;
}

/** First string value of a field ("" if absent). */
export function one(b: Body, name: string): string {
  const v = b[name];
  const first = Array.isArray(v) ? v.find((x) => typeof x === "string") : v;
  return typeof first === "string" ? first : "";
}

/** All string values of a field. */
export function many(b: Body, name: string): string[] {
  const v = b[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
}

/** A non-empty uploaded file, if any. */
export function fileOf(b: Body, name: string): File | undefined {
  const v = b[name];
  const f = Array.isArray(v) ? v.find((x) => typeof x !== "string") : v;
  return f && typeof f !== "string" && f.size > 0 ? f : undefined;
}

/** All non-empty uploaded files under a name. */
export function filesOf(b: Body, name: string): File[] {
  const v = b[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(
    (x): x is File => typeof x !== "string" && x.size > 0,
  );
}

/** The signed-in user (routes run behind requireUser, so there is one). */
export function userOf(c: Context<AppEnv>): SessionUser {
  const u = c.get("user");
  if (!u) throw new HttpError(401, "Please sign in.");
  return u;
}

export function actorOf(c: Context<AppEnv>): Actor {
  const u = userOf(c);
  return { id: u.id, role: u.role };
}

/** A positive integer route parameter, else 404. */
export function idParam(c: Context<AppEnv>, name = "id"): number {
  const raw = c.req.param(name) ?? "";
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
  if (!n) throw new HttpError(404, "Not found");
  return n;
}

/** Notices shown after a redirect, by code (never echo arbitrary text from the URL). */
export const notices: Record<string, string> = {
  saved: "Saved.",
  draft: "Saved as a draft.",
  published: "Published.",
  scheduled: "Scheduled.",
  unpublished: "Unpublished: the post is a draft again.",
  deleted: "Deleted.",
  restored: "Revision restored. The previous version is kept as a revision too.",
  uploaded: "Uploaded.",
  created: "Created.",
  updated: "Updated.",
  removed: "Removed.",
  welcome: "Welcome! Your account is ready.",
  password: "Password changed; other sessions were signed out.",
  "copy-updated": "The copy was updated there.",
  "copy-deleted": "The copy was deleted there; the post no longer links to it.",
  "copy-retrying": "The copy is being sent again now.",
};

export function noticeOf(c: Context<AppEnv>): string | undefined {
  const code = c.req.query("msg") ?? (c.req.query("welcome") ? "welcome" : undefined);
  return code ? notices[code] : undefined;
}
