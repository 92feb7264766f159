/**
 * Finding an account's actor from its handle with WebFinger, through our guarded fetcher (Fedify's
 * own lookup fetches outside it). Over https; when local addresses are allowed
 * (LINER_ALLOW_PRIVATE_FETCH=1: two sites on plain HTTP in tests and on an intranet), a server
 * that cannot be reached over https is asked over http. Errors are ValidationErrors for the
 * follow form's address field, naming what was wrong.
 */
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";

/** A handle's parts: "@alice@example.social" is user "alice" on host "example.social". */
export interface Handle {
  user: string;
  host: string;
}

const ACTIVITY_TYPE =
  /^application\/(?:activity\+json|ld\+json;\s*profile="https:\/\/www\.w3\.org\/ns\/activitystreams")$/;
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$/i;

/** The user and host of a handle, or a ValidationError saying how to write one. Pure. */
export function parseHandle(input: string): Handle {
  const s = input.trim().replace(/^acct:/i, "");
  const m = /^@?([^@\s]+)@([^@\s]+)$/.exec(s);
  if (!m || !/^[\w.~-]+$/.test(m[1]) || !HOST.test(m[2])) {
    throw new ValidationError(
      `“${input.trim()}” is not a fediverse account's address: write it as @user@host, for example @alice@mastodon.social.`,
      { field: "url" },
    );
  }
  return { user: m[1], host: m[2].toLowerCase() };
}

const label = (h: Handle) => `@${h.user}@${h.host}`;

async function get(app: AppContext, url: string) {
  return app.fetcher.fetch(url, {
    headers: { Accept: "application/jrd+json, application/json" },
    timeoutMs: 10_000,
    maxBytes: 256 * 1024,
  });
}

/** The actor URI of a handle, by WebFinger. Throws ValidationError (field "url") naming what failed. */
export async function actorOfHandle(app: AppContext, h: Handle): Promise<string> {
  const path = `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${h.user}@${h.host}`)}`;
  let res: Awaited<ReturnType<typeof get>>;
  try {
    res = await get(app, `https://${h.host}${path}`);
  } catch (err) {
    if (!app.config.allowPrivateFetch) throw unreachable(h, err);
    try {
      res = await get(app, `http://${h.host}${path}`);
    } catch (again) {
      throw unreachable(h, again);
    }
  }
  if (res.status === 404 || res.status === 410)
    throw new ValidationError(`There is no account ${label(h)}: ${h.host} does not know it.`, { field: "url" });
  if (res.status !== 200)
    throw new ValidationError(`Could not look up ${label(h)}: ${h.host} answered HTTP ${res.status}.`, {
      field: "url",
    });
  let links: unknown;
  try {
    links = (JSON.parse(new TextDecoder().decode(res.body)) as { links?: unknown }).links;
  } catch {
    links = undefined;
  }
  const self = (Array.isArray(links) ? links : []).find(
    (l) => l?.rel === "self" && typeof l.type === "string" && ACTIVITY_TYPE.test(l.type) && typeof l.href === "string",
  ) as { href: string } | undefined;
  if (!self || !/^https?:\/\//i.test(self.href))
    throw new ValidationError(`${h.host} names no fediverse account for ${label(h)}.`, { field: "url" });
  return self.href;
}

function unreachable(h: Handle, err: unknown): ValidationError {
  const reason = err instanceof Error ? err.message : String(err);
  return new ValidationError(`Could not reach ${h.host} to look up ${label(h)}: ${reason}.`, {
    field: "url",
    cause: err,
  });
}
