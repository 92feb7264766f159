/**
 * Fediverse accounts as a kind of source for the reader (lib/module.ts `SourceKind`): a handle
 * ("@user@host", also "user@host" or "acct:user@host") is always ours; a URL shaped like a profile
 * ("/@user", "/users/user", ...) is worth asking its server about, and when it is not an account
 * the reader looks for a feed there. The work is loaded when used (follow.ts, following-refresh.ts).
 */
import type { SourceKind } from "../lib/module.ts";

/** `user@host[:port]`, with an optional "@" or "acct:" in front. */
const HANDLE = /^(?:acct:)?@?[^@\s/:]+@[^@\s/]+$/i;
/** Profile paths of Mastodon, Misskey, GoToSocial, Pleroma and Akkoma, and Liner's own actor. */
const PROFILE_PATH = /^\/(?:@[^/]+|users\/[^/]+|u\/[^/]+|profile\/[^/]+|ap\/actor\/[^/]+)\/?$/i;

/** The name stored on these sources (and the conversation's `via` for the fediverse). */
export const SOURCE_KIND = "activitypub";

/** Whether `input` is a fediverse account's: "yes" for a handle, "maybe" for a profile-like URL. Pure. */
export function claimsAccount(input: string): "yes" | "maybe" | "no" {
  const s = input.trim();
  // A lone "@alice" is ours too, so that the answer says what is missing.
  if (s.startsWith("@") || HANDLE.test(s)) return "yes";
  if (!URL.canParse(s)) return "no";
  const u = new URL(s);
  return (u.protocol === "https:" || u.protocol === "http:") && PROFILE_PATH.test(u.pathname) ? "maybe" : "no";
}

/** The kind the fediverse module declares for the reader. */
export const fediverseSourceKind: SourceKind = {
  name: SOURCE_KIND,
  hint: "a fediverse account: @alice@mastodon.social, or its profile's address",
  claims: claimsAccount,
  resolve: async (ctx, input) => (await import("./follow.ts")).resolveAccount(ctx, input),
  refresh: async (ctx, source) => (await import("./following-refresh.ts")).refreshFollowed(ctx, source),
  unfollow: async (ctx, key) => (await import("./follow.ts")).unfollowAccount(ctx, key),
  replyPath: (itemId) => `/admin/fediverse/reply/${itemId}`,
};
