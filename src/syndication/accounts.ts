/**
 * The owner's accounts elsewhere: connected only after a sign-in with the credential works, the
 * credential sealed with the site's secret and shown masked, checked on demand, removed with its
 * credential. Bluesky for now; Mastodon and LinkedIn follow the same shape.
 */
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { FetchError } from "../lib/net/types.ts";
import { webFetch } from "../lib/net/web-fetch.ts";
import { BACKFEED_JOB } from "./backfeed.ts";
import { BLUESKY_SERVICE, blueskyAgent } from "./bluesky.ts";
import { linkedinMember } from "./linkedin.ts";
import { mastodonAccount } from "./mastodon.ts";
import { PlatformError } from "./platform-error.ts";
import { credentialOf, masked, seal } from "./secrets.ts";
import { type AccountRow, accountStore } from "./store.ts";

export const PLATFORMS = ["bluesky", "mastodon", "linkedin"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A handle as typed ("@alice.bsky.social", "alice.bsky.social"): without the "@", lower case. Pure. */
export function normalHandle(raw: string): string {
  return raw.trim().replace(/^@/, "").toLowerCase();
}

/**
 * A service address as typed: an http(s) origin ("mastodon.social" gets its https://), else a
 * ValidationError at `field` naming what it is (`label`). Pure.
 */
export function serviceUrl(raw: string, field: string, label: string, example = "https://bsky.social"): string {
  let s = raw.trim();
  if (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\/?$/i.test(s)) s = `https://${s}`; // a bare host name
  if (!URL.canParse(s))
    throw new ValidationError(`The ${label} must be an address such as ${example} (got “${s.slice(0, 80)}”).`, {
      field,
    });
  const u = new URL(s);
  if (u.protocol !== "https:" && u.protocol !== "http:")
    throw new ValidationError(`The ${label} must start with https:// (got ${u.protocol}).`, { field });
  return u.origin;
}

/** The platform's answer, or a ValidationError at `field` with its message (then nothing is stored). */
export async function verified<T>(field: string, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    const said = err instanceof PlatformError ? err.message : String(err);
    throw new ValidationError(said + privateHint(err), { field, cause: err });
  }
}

/**
 * When the SSRF guard refused the address (a server on this machine or the local network), how to
 * allow it: the owner's own PDS or instance at home is a real case, not an attack.
 */
function privateHint(err: unknown): string {
  for (let e = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++)
    if (e instanceof FetchError && e.code === "blocked")
      return " It is a private or local address, which this site does not reach unless LINER_ALLOW_PRIVATE_FETCH=1 is set.";
  return "";
}

/** Connect a Bluesky account: signs in first, so a wrong password is never stored. */
export async function addBluesky(
  ctx: AppContext,
  input: { handle: string; pds?: string; password: string },
): Promise<AccountRow> {
  const handle = normalHandle(input.handle);
  if (!/^[a-z0-9][a-z0-9.-]*\.[a-z0-9.-]+$/.test(handle))
    throw new ValidationError(
      `The handle must be a Bluesky handle such as alice.bsky.social (got “${input.handle}”).`,
      {
        field: "handle",
      },
    );
  const service = input.pds ? serviceUrl(input.pds, "pds", "server (PDS)") : BLUESKY_SERVICE;
  const password = input.password.trim();
  if (!password) throw new ValidationError("The app password is empty.", { field: "password" });
  const known = await accountStore(ctx.db).find("bluesky", service, handle);
  if (known && known.status !== "removed")
    throw new ValidationError(`${handle} on ${service} is connected already (account ${known.id}).`, {
      field: "handle",
    });
  await verified("password", () => blueskyAgent(webFetch(ctx.fetcher), { service, handle, password }));
  return store(ctx, "bluesky", handle, service, password);
}

/** Connect a Mastodon account by an access token: asks the instance whose it is first. */
export async function addMastodon(
  ctx: AppContext,
  input: { instance: string; token: string; replace?: boolean },
): Promise<AccountRow> {
  const instance = serviceUrl(input.instance, "instance", "instance", "https://mastodon.social");
  const token = input.token.trim();
  if (!token) throw new ValidationError("The access token is empty.", { field: "token" });
  const { handle } = await verified("token", () => mastodonAccount(webFetch(ctx.fetcher), { instance, token }));
  return store(ctx, "mastodon", handle, instance, token, input.replace);
}

/** Connect a LinkedIn member by an OAuth access token: asks LinkedIn whose it is first. */
export async function addLinkedIn(ctx: AppContext, input: { token: string; replace?: boolean }): Promise<AccountRow> {
  const token = input.token.trim();
  if (!token) throw new ValidationError("The access token is empty.", { field: "token" });
  const api = ctx.config.linkedinApi;
  const { urn } = await verified("token", () => linkedinMember(webFetch(ctx.fetcher), { api, token }));
  return store(ctx, "linkedin", urn, api, token, input.replace);
}

/**
 * Store a verified credential as a new account; with `replace` (signing in again through OAuth, a
 * token expired or revoked), an account already there takes the new credential instead.
 */
async function store(
  ctx: AppContext,
  platform: Platform,
  handle: string,
  service: string,
  secret: string,
  replace = false,
) {
  const accounts = accountStore(ctx.db);
  const known = await accounts.find(platform, service, handle);
  // Signing in again, or connecting an account removed before: the same account (its copies
  // stay its own), with the new credential.
  if (known && (replace || known.status === "removed")) {
    await accounts.reseal(known.id, seal(ctx.secret, secret), masked(secret), ctx.now().toISOString());
    await pollSoon(ctx, known.id);
    return (await accounts.byId(known.id)) as AccountRow;
  }
  if (known)
    throw new ValidationError(`${handle} on ${service} is connected already (account ${known.id}).`, {
      field: platform === "bluesky" ? "handle" : "token",
    });
  const now = ctx.now().toISOString();
  const id = await accounts.add({
    platform,
    handle,
    service_url: service,
    secret_sealed: seal(ctx.secret, secret),
    secret_hint: masked(secret),
    status: "ok",
    checked_at: now,
    created_at: now,
  });
  await pollSoon(ctx, id);
  return (await accounts.byId(id)) as AccountRow;
}

/** Start (or bring forward) the account's backfeed chain. */
async function pollSoon(ctx: AppContext, accountId: number): Promise<void> {
  await ctx.jobs.enqueue(BACKFEED_JOB, { accountId }, { uniqueKey: `backfeed:${accountId}`, keepEarlier: true });
}

/** Sign in with an account's stored credential (Mastodon: ask whose the token is); throws PlatformError. */
export async function signIn(ctx: AppContext, account: AccountRow): Promise<void> {
  const fetchFn = webFetch(ctx.fetcher);
  const secret = credentialOf(ctx, account);
  if (account.platform === "bluesky")
    await blueskyAgent(fetchFn, { service: account.service_url, handle: account.handle, password: secret });
  else if (account.platform === "mastodon")
    await mastodonAccount(fetchFn, { instance: account.service_url, token: secret });
  else await linkedinMember(fetchFn, { api: account.service_url, token: secret });
}

/** Sign in with the stored credential: the account's status updated and returned with the message. */
export async function checkAccount(ctx: AppContext, account: AccountRow): Promise<{ ok: boolean; message: string }> {
  let result: { ok: boolean; message: string };
  try {
    await signIn(ctx, account);
    result = { ok: true, message: "signed in" };
  } catch (err) {
    result = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  const status = result.ok ? "ok" : "error";
  await accountStore(ctx.db).checked(account.id, status, result.ok ? null : result.message, ctx.now().toISOString());
  // Working again after a refusal: its backfeed, stopped then, starts again.
  if (result.ok && account.status !== "ok") await pollSoon(ctx, account.id);
  return result;
}

/** An account by id, else a ValidationError that says so. */
export async function accountById(ctx: AppContext, id: number): Promise<AccountRow> {
  const a = await accountStore(ctx.db).byId(id);
  if (!a || a.status === "removed")
    throw new ValidationError(`There is no connected account ${id} (liner accounts list shows them).`, { field: "id" });
  return a;
}
