/**
 * Answering a followed account's post from the reader: the owner's text becomes a Note in reply to
 * the post, addressed to its author and mentioning them (public, as a reply on Mastodon is), kept
 * in `fedi_notes` and served at `/ap/notes/{id}` for the server that fetches it. The post is read
 * again from its server (through our guarded loader) for its id and author: a reader item keeps
 * the post's page address, not its ActivityPub id.
 */
import { Create, isActor, PUBLIC_COLLECTION } from "@fedify/vocab";
import { commentHtml } from "../conversation/index.ts";
import type { AppContext } from "../lib/context.ts";
import { ValidationError } from "../lib/errors.ts";
import { h } from "../lib/html.ts";
import { type ReaderItem, readerItem } from "../reader/index.ts";
import { ACTOR } from "./actor.ts";
import { contextOf, fetchObject, loadersOf } from "./lookup.ts";
import { noteObject } from "./note-object.ts";
import { type NoteRow, notesStore } from "./notes-store.ts";
import { ownHostInboxes, readRemoteActor } from "./remote.ts";
import { SOURCE_KIND } from "./source-kind.ts";

/** Longest answer: Mastodon's default limit is 500 characters; other servers take more. */
export const MAX_NOTE = 5000;

/** The reader item to answer: an item of a followed fediverse account, else a 404-like error. */
export async function answerableItem(app: AppContext, itemId: number): Promise<ReaderItem> {
  const item = await readerItem(app, itemId);
  if (item.source_kind !== SOURCE_KIND || !item.url)
    throw new ValidationError("Only posts of fediverse accounts you follow can be answered from here.", {
      field: "item",
    });
  return item;
}

/** The text checked: what to send, else a ValidationError naming the field. Pure. */
export function checkedText(raw: string): string {
  const text = raw.replace(/\r\n?/g, "\n").trim();
  if (!text) throw new ValidationError("Write your reply first: it is empty.", { field: "text" });
  if ([...text].length > MAX_NOTE)
    throw new ValidationError(`Your reply is ${[...text].length} characters; at most ${MAX_NOTE} go out.`, {
      field: "text",
    });
  return text;
}

/** Send the owner's answer to a reader item; returns the stored note and whom it went to. */
export async function answerItem(app: AppContext, itemId: number, rawText: string): Promise<NoteRow> {
  const text = checkedText(rawText);
  const item = await answerableItem(app, itemId);
  const ctx = contextOf(app);
  const load = await loadersOf(ctx);
  // The object's id where the item keeps it (a reply's), else its page, which its server answers for.
  const url = /^https?:\/\//.test(item.dedupe_key) ? item.dedupe_key : (item.url as string);
  const post = await fetchObject(url, load).catch((err: unknown) => {
    throw new ValidationError(`The post could not be read from its server (${String(err).slice(0, 200)}).`, {
      field: "item",
      cause: err,
    });
  });
  const author = post?.id ? await post.getAttribution(load).catch(() => null) : null;
  if (!post?.id || !isActor(author) || !author.id)
    throw new ValidationError(`${url} did not answer with a post and its author.`, { field: "item" });
  const who = await readRemoteActor(author, load);
  const { inbox } = ownHostInboxes(who);
  if (!inbox)
    throw new ValidationError(`${who.handle} has no inbox on its own server to answer to.`, { field: "item" });
  const mention = h`<span class="h-card"><a href="${who.url || who.uri}" class="u-url mention">${who.handle}</a></span>`;
  const html = `<p>${mention}</p>${commentHtml(text)}`;
  const store = notesStore(app.db);
  const created = app.now().toISOString();
  const id = await store.add({
    in_reply_to: post.id.href,
    to_actor: author.id.href,
    to_handle: who.handle,
    reader_item_id: item.id,
    html,
    created_at: created,
  });
  const row = (await store.byId(id)) as NoteRow;
  const me = ctx.getActorUri(ACTOR);
  const note = noteObject(app, row, me);
  await ctx.sendActivity(
    { identifier: ACTOR },
    { id: author.id, inboxId: new URL(inbox) },
    new Create({
      id: new URL(`${note.id?.href}#create`),
      actor: me,
      object: note,
      to: author.id,
      cc: PUBLIC_COLLECTION,
    }),
  );
  return row;
}
