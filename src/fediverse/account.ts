/**
 * The owner's side of the fediverse account: its settings (handle, approval of followers, the
 * accounts it is also known as), approving or refusing followers, blocking accounts and servers
 * (their followers go, their activities are refused), and moving the account to another one.
 */
import { isActor, Move, Update } from "@fedify/vocab";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { ACTOR, federationOf } from "./federation.ts";
import { answerFollow } from "./inbox.ts";
import { fediBlockStore, followerStore } from "./relations-store.ts";
import { type AccountSettings, accountStore } from "./store.ts";
import { parseHandle, webfingerActor } from "./webfinger.ts";

const HANDLE = /^[a-z0-9_]{1,30}$/i;

const contextOf = (app: AppContext) => federationOf(app).createContext(new URL(app.config.baseUrl), app);

/** An account named by @user@host or by URL, looked up: its actor URI. */
export async function resolveAccount(app: AppContext, input: string, field: string): Promise<string> {
  const v = input.trim();
  if (!/^@?[^@\s]+@[^@\s]+$/.test(v) && !/^https?:\/\//.test(v))
    throw new ValidationError(`${field}: write an account as @user@host or its profile URL`, { field });
  // A handle through WebFinger on our fetcher (webfinger.ts); a URL through our document loader.
  const handle = parseHandle(v);
  const uri = handle ? await webfingerActor(app, handle).catch(() => undefined) : v;
  const actor = uri
    ? await contextOf(app)
        .lookupObject(uri)
        .catch(() => null)
    : null;
  if (!isActor(actor) || !actor.id)
    throw new ValidationError(`${field}: ${v} could not be found on the fediverse`, { field });
  return actor.id.href;
}

/** Save the settings from the form's values. */
export async function saveAccountSettings(
  app: AppContext,
  v: { handle: string; approveFollowers: boolean; alsoKnownAs: string },
): Promise<AccountSettings> {
  const handle = v.handle.trim().replace(/^@/, "");
  if (!HANDLE.test(handle))
    throw new ValidationError("handle: use 1 to 30 letters, digits or underscores (it becomes @handle@host)", {
      field: "handle",
    });
  const store = accountStore(app.db);
  const current = await store.settings();
  const aliases: string[] = [];
  for (const line of v.alsoKnownAs.split(/\s+/).filter(Boolean))
    aliases.push(await resolveAccount(app, line, "alsoKnownAs"));
  const next = { ...current, handle, approveFollowers: v.approveFollowers, alsoKnownAs: aliases };
  await store.saveSettings(next);
  await announceProfile(app);
  return next;
}

/** Tell followers the profile changed (Mastodon otherwise refreshes it only now and then). */
export async function announceProfile(app: AppContext): Promise<void> {
  // getActor belongs to a request's context: one made for the actor's own URL.
  const base = contextOf(app);
  const ctx = federationOf(app).createContext(new Request(base.getActorUri(ACTOR)), app);
  const actor = await ctx.getActor(ACTOR);
  if (!actor?.id) return;
  await ctx.sendActivity(
    { identifier: ACTOR },
    "followers",
    new Update({ id: new URL(`${actor.id.href}#update/${Date.now()}`), actor: actor.id, object: actor }),
    { preferSharedInbox: true },
  );
}

/** Approve or refuse a follow request, or remove a follower. */
export async function decideFollower(
  app: AppContext,
  id: number,
  decision: "approve" | "reject" | "remove",
): Promise<void> {
  const store = followerStore(app.db);
  const f = await store.byId(id);
  if (!f || f.removed_at) throw new NotFoundError(`There is no follower ${id}.`);
  if (decision === "approve") {
    await store.accept(id);
    await answerFollow(contextOf(app), f, "accept");
  } else {
    await store.remove({ id }, app.now().toISOString(), decision === "reject" ? "rejected" : "removed");
    await answerFollow(contextOf(app), f, "reject");
  }
}

/** Block an account (@user@host or URL) or a whole server (a host name). Returns what was blocked. */
export async function block(app: AppContext, input: string): Promise<string> {
  const v = input.trim().toLowerCase();
  const at = app.now().toISOString();
  if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?$|^[a-z0-9-]+:\d+$/.test(v)) {
    const host = v.replace(/:\d+$/, "");
    await fediBlockStore(app.db).add("domain", host, at);
    await followerStore(app.db).remove({ host }, at, "blocked");
    return host;
  }
  const uri = await resolveAccount(app, input, "block");
  await fediBlockStore(app.db).add("actor", uri, at);
  await followerStore(app.db).remove({ actorUri: uri }, at, "blocked");
  return uri;
}

/**
 * Move the account to another one, which must already name this one among its aliases (its
 * "also known as"): followers' servers then follow the new account. The actor says where it went.
 */
export async function moveTo(app: AppContext, input: string): Promise<string> {
  const ctx = contextOf(app);
  const uri = await resolveAccount(app, input, "target");
  const target = await ctx.lookupObject(uri).catch(() => null);
  if (!isActor(target) || !target.id)
    throw new ValidationError(`target: ${input.trim()} could not be found on the fediverse`, { field: "target" });
  const me = ctx.getActorUri(ACTOR);
  if (!target.aliasIds.some((u) => u.href === me.href))
    throw new ValidationError(`target: first add ${me.href} to that account's aliases ("also known as"), then move`, {
      field: "target",
    });
  const store = accountStore(app.db);
  await store.saveSettings({ ...(await store.settings()), movedTo: target.id.href });
  await ctx.sendActivity(
    { identifier: ACTOR },
    "followers",
    new Move({ id: new URL(`${me.href}#move/${Date.now()}`), actor: me, object: me, target: target.id }),
    { preferSharedInbox: true },
  );
  return target.id.href;
}
