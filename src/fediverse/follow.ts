/**
 * The reader following fediverse accounts: finding one (a handle by WebFinger, a profile URL
 * asked for as ActivityStreams, both through our guarded loader), our Follow when the owner adds
 * it to Sources, and its Undo when the owner removes it. Whom we follow is kept in
 * `fedi_following`; their Accept or Reject is recorded by inbox.ts.
 */
import { type Actor, Follow, isActor, Undo } from "@fedify/vocab";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import type { FoundSource } from "../lib/module.ts";
import { ACTOR } from "./actor.ts";
import { accountFeed } from "./following-refresh.ts";
import { followActivityStore } from "./following-store.ts";
import { type Ctx, contextOf, fetchObject, loadersOf } from "./lookup.ts";
import { fediBlockStore, followingStore } from "./relations-store.ts";
import { type RemoteActor, readRemoteActor } from "./remote.ts";
import { plainText } from "./remote-html.ts";
import { claimsAccount } from "./source-kind.ts";
import { actorOfHandle, parseHandle } from "./webfinger.ts";

const fail = (message: string, cause?: unknown) => new ValidationError(message, { field: "url", cause });

/**
 * The account `input` names, as the reader stores it. A handle that leads nowhere throws a
 * ValidationError saying why; a URL that is not an account's gives null (the reader looks for a feed).
 */
export async function resolveAccount(app: AppContext, input: string): Promise<FoundSource | null> {
  const handle = claimsAccount(input) === "yes" ? parseHandle(input) : null;
  const ctx = contextOf(app);
  const uri = handle ? await actorOfHandle(app, handle) : input.trim();
  const name = handle ? `@${handle.user}@${handle.host}` : uri;
  const load = await loadersOf(ctx);
  let actor: unknown;
  try {
    actor = await fetchObject(uri, load);
  } catch (err) {
    if (!handle) return null;
    throw fail(`Could not read the account ${name}: ${err instanceof Error ? err.message : String(err)}.`, err);
  }
  if (!isActor(actor) || !actor.id) {
    if (!handle) return null;
    throw fail(`${name} is not an account: its server answered with something else.`);
  }
  const r = await readRemoteActor(actor, load);
  const title = handle ? name : r.handle;
  if (r.uri === ctx.getActorUri(ACTOR).href) throw fail(`${title} is this site's own account.`);
  if (!r.inbox) throw fail(`${title} cannot be followed: its account has no inbox.`);
  if (await fediBlockStore(app.db).blocks(r.uri, new URL(r.uri).hostname.toLowerCase()))
    throw fail(`You blocked ${title} or its server (see Fediverse); unblock it to follow it.`);
  const who = actor;
  return {
    key: r.uri,
    title,
    siteUrl: r.url,
    description: plainText(String(actor.summary ?? "")).slice(0, 1000),
    imageUrl: r.iconUrl,
    feedUrl: await accountFeed(app, r),
    follow: () => sendFollow(app, ctx, who, r, title),
  };
}

/** Deliveries to one account keep their order: an Undo never overtakes its Follow. */
const orderingKey = (actorUri: string) => `follow:${actorUri}`;

async function sendFollow(app: AppContext, ctx: Ctx, actor: Actor, r: RemoteActor, handle: string): Promise<void> {
  const me = ctx.getActorUri(ACTOR);
  // Its id leads to it (follow-routes.ts): the Accept that embeds it is checked against it.
  const id = new URL(`/ap/follows/${crypto.randomUUID()}`, app.config.baseUrl);
  await followingStore(app.db).upsert({
    actor_uri: r.uri,
    handle,
    name: r.name,
    inbox_url: r.inbox ?? "",
    follow_id: id.href,
    status: "pending",
    created_at: app.now().toISOString(),
  });
  await ctx.sendActivity({ identifier: ACTOR }, actor, new Follow({ id, actor: me, object: new URL(r.uri) }), {
    orderingKey: orderingKey(r.uri),
  });
}

/** Stop following an account: our Follow undone (queued, retried like any delivery) and forgotten. */
export async function unfollowAccount(app: AppContext, actorUri: string): Promise<void> {
  const store = followingStore(app.db);
  const row = await store.byActor(actorUri);
  if (!row) return;
  const ctx = contextOf(app);
  const me = ctx.getActorUri(ACTOR);
  const follow = new Follow({ id: new URL(row.follow_id), actor: me, object: new URL(row.actor_uri) });
  await ctx.sendActivity(
    { identifier: ACTOR },
    { id: new URL(row.actor_uri), inboxId: new URL(row.inbox_url) },
    new Undo({ id: new URL(`${me.href}#undo/${crypto.randomUUID()}`), actor: me, object: follow }),
    { orderingKey: orderingKey(row.actor_uri) },
  );
  await store.remove(actorUri);
}

/** Our Follow with this id as JSON-LD, while we still follow its account; undefined otherwise. */
export async function followDocument(app: AppContext, followId: string): Promise<Record<string, unknown> | undefined> {
  const row = await followActivityStore(app.db).byFollowId(followId);
  if (!row) return undefined;
  const ctx = contextOf(app);
  const follow = new Follow({
    id: new URL(row.follow_id),
    actor: ctx.getActorUri(ACTOR),
    object: new URL(row.actor_uri),
  });
  return (await follow.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>;
}
