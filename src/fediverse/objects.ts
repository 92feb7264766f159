/**
 * Our objects, for servers that fetch them: a post by its object id (`/ap/posts/{id}`) or by its
 * page's address asked for as ActivityStreams (someone pasted the post's URL into Mastodon's
 * search), the owner's answers (`/ap/replies/{id}`) and notes in reply to others' posts
 * (`/ap/notes/{id}`). Anything not public is not found.
 */
import { Mention, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import { postById, postBySlug, postPath } from "../content/index.ts";
import { conversationItem } from "../conversation/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ACTOR } from "./actor.ts";
import { federationOf } from "./federation.ts";
import { noteAt, noteObject } from "./note-object.ts";
import { postObject } from "./post-object.ts";
import { federates, outgoingPost, postObjectUri, postOfObject } from "./posts.ts";

const AS_TYPE = "application/activity+json";

/** The object at a path, as JSON-LD, or undefined when there is none. */
export async function objectAt(app: AppContext, path: string): Promise<Record<string, unknown> | undefined> {
  const ctx = federationOf(app).createContext(new URL(app.config.baseUrl), app);
  const uris = { actor: ctx.getActorUri(ACTOR), followers: ctx.getFollowersUri(ACTOR) };
  let object: Note | ReturnType<typeof postObject> | undefined;
  const byId = /^\/ap\/posts\/(\d+)$/.exec(path);
  const bySlug = /^\/posts\/([^/]+)$/.exec(path);
  const reply = /^\/ap\/replies\/(\d+)$/.exec(path);
  const note = path.startsWith("/ap/notes/") ? await noteAt(app, path) : undefined;
  if (note) object = noteObject(app, note, uris.actor);
  else if (byId || bySlug) {
    const post = byId
      ? await postOfObject(app, postObjectUri(app.config.baseUrl, Number(byId[1])).href)
      : await postBySlug(app, decodeURIComponent(bySlug?.[1] ?? ""));
    if (post && federates(post, app.now())) object = postObject(await outgoingPost(app, post, uris));
  } else if (reply) {
    const item = await conversationItem(app, Number(reply[1]));
    const parent = item?.parent_id ? await conversationItem(app, item.parent_id) : undefined;
    if (item?.owner_reply && item.status === "approved" && parent?.via === "activitypub" && parent.remote_id) {
      const author = parent.author_key.startsWith("ap:") ? new URL(parent.author_key.slice(3)) : undefined;
      object = new Note({
        id: new URL(path, app.config.baseUrl),
        attribution: uris.actor,
        replyTarget: new URL(parent.remote_id),
        content: item.html,
        published: Temporal.Instant.from(item.published_at) as never,
        to: author ?? PUBLIC_COLLECTION,
        cc: PUBLIC_COLLECTION,
        tags: author ? [new Mention({ href: author })] : [],
      });
    }
  }
  return object
    ? ((await object.toJsonLd({ format: "compact", contextLoader: ctx.contextLoader })) as Record<string, unknown>)
    : undefined;
}

/** The page a person reads for one of our objects (a post's page, an answer in its thread), if any. */
export async function pageOf(app: AppContext, path: string): Promise<string | undefined> {
  const byId = /^\/ap\/posts\/(\d+)$/.exec(path);
  if (byId) {
    const post = await postOfObject(app, postObjectUri(app.config.baseUrl, Number(byId[1])).href);
    return post ? postPath(post) : undefined;
  }
  const reply = /^\/ap\/replies\/(\d+)$/.exec(path);
  const item = reply ? await conversationItem(app, Number(reply[1])) : undefined;
  const post = item?.status === "approved" ? await postById(app, item.post_id) : undefined;
  return post && item && federates(post, app.now()) ? `${postPath(post)}#comment-${item.id}` : undefined;
}

/** The response for an object, or undefined (not ours: the page goes on). */
export async function objectResponse(app: AppContext, path: string): Promise<Response | undefined> {
  const json = await objectAt(app, path);
  return json
    ? new Response(JSON.stringify(json), { headers: { "content-type": AS_TYPE, vary: "Accept" } })
    : undefined;
}
