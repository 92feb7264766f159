/**
 * The fediverse's listeners of other modules' events, light on purpose: every post saved on any
 * site reaches `post.changed`, and a site without followers (most tests, a new site) should not
 * load Fedify or make its keys for nothing. Only when there is someone to tell is `outgoing.ts`
 * loaded.
 */
import type { AppContext } from "../lib/context.ts";
import type { ConversationRef, OwnerReply, PostChange } from "../lib/module.ts";
import { followerStore } from "./relations-store.ts";

/** A post changed: its followers are told, if it has any. */
export async function onPostChanged(app: AppContext, change: PostChange): Promise<void> {
  if ((await followerStore(app.db).count()) === 0) return;
  await (await import("./outgoing.ts")).onPostChanged(app, change);
}

/** The owner answered an item: sent to the fediverse if it came from there. */
export async function onOwnerReply(app: AppContext, reply: OwnerReply): Promise<void> {
  if (reply.to.via !== "activitypub") return;
  await (await import("./outgoing.ts")).onOwnerReply(app, reply);
}

/** The owner liked an item: sent to the fediverse if it came from there. */
export async function onOwnerLike(app: AppContext, ref: ConversationRef): Promise<void> {
  if (ref.via !== "activitypub") return;
  await (await import("./outgoing.ts")).onOwnerLike(app, ref);
}
