/**
 * The conversation's part of the site export (`liner export all`): every comment, reply, like,
 * repost and mention as JSON Lines (one object per line, oldest first), with its post's slug and
 * its thread parent, in every status, so nothing said about the site is left behind.
 */
import type { ExportPart } from "../lib/module.ts";
import { itemStore } from "./store.ts";

const conversations: ExportPart = {
  path: "conversations.jsonl",
  describe:
    "Everything people said about the posts, as JSON Lines (one object per line, oldest first): comments, " +
    "replies, likes, reposts and mentions with their kind, how they came (site, webmention, ...), status, " +
    "author (name, url, photo, email if given), post slug, thread parent id, text, source URL and dates.",
  noun: ["conversation item", "conversation items"],
  async write(ctx, sink) {
    const rows = (await itemStore(ctx.db).list({ limit: Number.MAX_SAFE_INTEGER })).reverse();
    const lines = rows.map((i) =>
      JSON.stringify({
        id: i.id,
        kind: i.kind,
        via: i.via,
        status: i.status,
        post: i.post_slug,
        parent_id: i.parent_id,
        author: {
          name: i.author_name,
          url: i.author_url,
          photo: i.author_photo,
          email: i.author_email,
          owner: i.owner_reply === 1,
        },
        text: i.text,
        source: i.source_url,
        published_at: i.published_at,
        received_at: i.received_at,
      }),
    );
    await sink.file("conversations.jsonl", lines.length ? `${lines.join("\n")}\n` : "");
    return rows.length;
  },
};

/** The conversation's export parts. */
export const conversationExports: ExportPart[] = [conversations];
