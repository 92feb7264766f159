/**
 * The owner's side of the fediverse account: its settings (handle, approval of followers, the
 * accounts it is also known as), approving or refusing followers, blocking accounts and servers
 * (their followers go, their activities are refused), and moving the account to another one.
 */
import { type Actor, isActor, Move, Update } from "@fedify/vocab";
import { contentChanged } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError, ValidationError } from "../lib/errors.ts";
import { ACTOR, federationOf } from "./federation.ts";
import { answerFollow } from "./inbox.ts";
import { contextOf, fetchObject, loadersOf } from "./lookup.ts";
import { fediBlockStore, followerStore } from "./relations-store.ts";
import { type AccountSettings, accountStore } from "./store.ts";
import { actorOfHandle, parseHandle } from "./webfinger.ts";

const HANDLE = /^[a-z0-9_]{1,30}$/i;

/**
 * An account named by @user@host (WebFinger through our fetcher) or by URL (our loader), looked
 * up: the actor. Errors name what was wrong, for the form's `field`; our own account is refused.
 */
export async function resolveAccount(app: AppContext, input: string, field: string): Promise<Actor> {
  const v = input.trim();
  const fail = (message: string) => new ValidationError(message, { field });
  if (!v) throw fail("Write an account as @user@host, or its profile's address.");
  const ctx = contextOf(app);
  let uri = v;
  if (!/^https?:\/\//i.test(v)) {
    try {
      uri = await actorOfHandle(app, parseHandle(v));
    } catch (err) {
      if (err instanceof ValidationError) throw fail(err.message);
      throw err;
    }
  }
  if (uri === ctx.getActorUri(ACTOR).href || uri === `${app.config.baseUrl}/`)
    throw fail("That is this account: name your other account.");
  const actor = await fetchObject(uri, await loadersOf(ctx)).catch(() => null);
  if (!isActor(actor) || !actor.id) throw fail(`No fediverse account was found at ${v}.`);
  return actor;
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
    aliases.push(((await resolveAccount(app, line, "alsoKnownAs")).id as URL).href);
  const next = { ...current, handle, approveFollowers: v.approveFollowers, alsoKnownAs: aliases };
  await store.saveSettings(next);
  // The footer of every page names the account.
  await contentChanged(app);
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

const SERVER = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$/;

/**
 * Block an account (@user@host or its URL) or a whole server (its name, example.social). Returns
 * what was blocked and whether it was new.
 */
export async function block(app: AppContext, input: string): Promise<{ value: string; added: boolean }> {
  const v = input.trim().toLowerCase();
  const at = app.now().toISOString();
  const blocks = fediBlockStore(app.db);
  if (!v)
    throw new ValidationError("Write an account (@user@host) or a server's name (example.social).", { field: "value" });
  if (!v.includes("@") && !/^https?:\/\//.test(v)) {
    if (!SERVER.test(v) || v.length > 253)
      throw new ValidationError(
        `“${input.trim()}” is neither an account (@user@host) nor a server's name (example.social).`,
        { field: "value" },
      );
    const host = v.replace(/:\d+$/, "");
    const added = await blocks.add("domain", host, at);
    await followerStore(app.db).remove({ host }, at, "blocked");
    return { value: host, added };
  }
  const actor = await resolveAccount(app, input, "value");
  const uri = (actor.id as URL).href;
  const added = await blocks.add("actor", uri, at);
  await followerStore(app.db).remove({ actorUri: uri }, at, "blocked");
  return { value: uri, added };
}

/**
 * Move the account to another one, which must already name this one among its aliases (its
 * "also known as"): followers' servers then follow the new account. The actor says where it went.
 */
export async function moveTo(app: AppContext, input: string): Promise<string> {
  const ctx = contextOf(app);
  const target = await resolveAccount(app, input, "target");
  const me = ctx.getActorUri(ACTOR);
  if (!target.aliasIds.some((u) => u.href === me.href)) {
    const { handle } = await accountStore(app.db).settings();
    throw new ValidationError(
      `That account does not name this one yet: add @${handle}@${new URL(app.config.baseUrl).host} to its aliases ("also known as"), then move.`,
      { field: "target" },
    );
  }
  const id = target.id as URL;
  const store = accountStore(app.db);
  await store.saveSettings({ ...(await store.settings()), movedTo: id.href });
  await contentChanged(app);
  await ctx.sendActivity(
    { identifier: ACTOR },
    "followers",
    new Move({ id: new URL(`${me.href}#move/${Date.now()}`), actor: me, object: me, target: id }),
    { preferSharedInbox: true },
  );
  return id.href;
}
