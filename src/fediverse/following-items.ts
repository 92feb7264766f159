/**
 * What the accounts the reader follows post, as reader items: their public notes and articles
 * (`Create`) and what they boost (`Announce`: the boosted post, its author credited, "boosted by"
 * the account). They come from deliveries to our inbox (inbox-items.ts hands over what is not
 * for our conversation) or from an outbox (following-refresh.ts). The reader stores them like a
 * feed's items, so its dedupe, credits, search and saves apply.
 */
import type { InboxContext } from "@fedify/fedify";
import {
  type Activity,
  Announce,
  Article,
  Create,
  type DocumentLoader,
  isActor,
  Note,
  PUBLIC_COLLECTION,
  Question,
} from "@fedify/vocab";
import type { AppContext } from "../lib/context.ts";
import { h } from "../lib/html.ts";
import type { SourceItem } from "../lib/module.ts";
import { followingStore } from "./relations-store.ts";
import { readRemoteActor, readRemoteNote } from "./remote.ts";
import { SOURCE_KIND } from "./source-kind.ts";

type Load = { documentLoader: DocumentLoader; contextLoader?: DocumentLoader };
type Post = Note | Article | Question;

const isPost = (o: unknown): o is Post => o instanceof Note || o instanceof Article || o instanceof Question;
/** Public or unlisted: addressed to the public collection (direct and followers-only posts stay out). */
const isPublic = (o: { toIds: URL[]; ccIds: URL[] }) =>
  [...o.toIds, ...o.ccIds].some((u) => u.href === PUBLIC_COLLECTION.href);

/** Who wrote or boosted something, as the reader credits them. */
async function personOf(actor: unknown, load: Load): Promise<{ name: string; handle: string; url: string } | null> {
  if (!isActor(actor)) return null;
  const r = await readRemoteActor(actor, load);
  return { name: r.name, handle: r.handle, url: r.url };
}

/**
 * A post as a reader item. Its id is its page's URL, which its server's RSS feed uses as its guid
 * too; a reply's is its object id.
 */
async function postItem(object: Post, load: Load, author: { name: string; url: string }): Promise<SourceItem> {
  const note = await readRemoteNote(object, load);
  const raw = String(object.content ?? "");
  const cw = note.contentWarning ? h`<p><strong>Content warning: ${note.contentWarning}</strong></p>` : "";
  const quote =
    note.quoteUrl && !raw.includes(note.quoteUrl) ? h`<p>RE: <a href="${note.quoteUrl}">${note.quoteUrl}</a></p>` : "";
  return {
    // A reply's page is its thread's: its id names it (and is what an answer must reply to).
    id: object.replyTargetId && object.id ? object.id.href : note.url,
    url: note.url,
    title: object instanceof Article ? String(object.name ?? "") : "",
    html: `${cw}${raw}${quote}`,
    authors: [author],
    published: note.published,
    updated: note.updated,
    categories: note.hashtags,
    attachments: note.attachments.map((a) => ({ url: a.url, type: a.mediaType })),
    boostedBy: null,
  };
}

/**
 * The item an account's activity makes, or null: a public post of its own (a reply only when it
 * continues one of its own threads, as timelines show them, or answers us), or a public boost of a post.
 */
export async function itemOfActivity(
  activity: Activity,
  actorUri: string,
  load: Load,
  answersUs: (uri: string) => boolean = () => false,
): Promise<SourceItem | null> {
  const boost = activity instanceof Announce;
  if (!(activity instanceof Create) && !(boost && isPublic(activity))) return null;
  const object = await activity.getObject(load);
  if (!isPost(object) || !isPublic(object)) return null;
  if (!boost) {
    const reply = object.replyTargetId?.href;
    if (object.attributionId?.href !== actorUri) return null;
    if (reply && !reply.startsWith(`${actorUri}/`) && !answersUs(reply)) return null;
    const author = await personOf(await activity.getActor(load), load);
    return author ? postItem(object, load, author) : null;
  }
  const [booster, author] = await Promise.all([
    activity.getActor(load).then((a) => personOf(a, load)),
    object.getAttribution(load).then((a) => personOf(a, load)),
  ]);
  if (!booster || !author) return null;
  return { ...(await postItem(object, load, author)), boostedBy: { name: booster.handle, url: booster.url } };
}

/**
 * An activity that was not for our conversation: when it comes from an account the reader
 * follows, its item goes to the reader's inbox.
 */
export async function fromFollowed(ctx: InboxContext<AppContext>, activity: Create | Announce): Promise<void> {
  const actorUri = activity.actorId?.href;
  if (!actorUri || !(await followingStore(ctx.data.db).byActor(actorUri))) return;
  // Its answers to the owner's notes come too: the reader is where the owner answered from.
  const notes = `${ctx.data.config.baseUrl}/ap/notes/`;
  const item = await itemOfActivity(
    activity,
    actorUri,
    { documentLoader: ctx.documentLoader, contextLoader: ctx.contextLoader },
    (uri) => uri.startsWith(notes),
  );
  if (!item) return;
  // The reader loads here, not with the inbox: most activities are not a followed account's posts.
  const { addSourceItems } = await import("../reader/index.ts");
  await addSourceItems(ctx.data, SOURCE_KIND, actorUri, [item]);
}
