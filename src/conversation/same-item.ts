/**
 * One reply that arrived by two roads: a Bluesky reply brought home by backfeed and again through
 * a bridge (Bridgy Fed's ActivityPub copy, Bridgy's Webmention), or a fediverse reply both by
 * ActivityPub and by Webmention. Each road names it differently; what they share is the post's
 * record key on Bluesky (the last part of its at:// URI, also in bsky.app links) or, elsewhere,
 * the reply's own URL. `crossKeys` derives those names (pure); `sameItem` finds an item of the
 * same post under any of them.
 */
import type { Db } from "../lib/db/index.ts";
import { itemStore } from "./store.ts";

const AT_POST = /at:\/\/[^/\s]+\/app\.bsky\.feed\.post\/([a-z2-7]{13})/gi;
const BSKY_APP = /^https:\/\/bsky\.app\/profile\/[^/]+\/post\/([a-z2-7]{13})\/?$/i;

/** The names an item goes by, from its ids and URLs (at:// URIs, bridges' URLs, bsky.app links). Pure. */
export function crossKeys(...ids: (string | null | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const raw of ids) {
    if (!raw) continue;
    let text = raw;
    try {
      text = decodeURIComponent(raw); // Bridgy's comment URLs carry the at:// URIs encoded
    } catch {
      // Not encoded: as it is.
    }
    const at = [...text.matchAll(AT_POST)].at(-1)?.[1] ?? BSKY_APP.exec(text)?.[1];
    if (at) keys.add(`bsky:${at.toLowerCase()}`);
    else if (/^https?:\/\//i.test(raw)) {
      try {
        const u = new URL(raw);
        keys.add(`url:${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, "")}${u.search}`);
      } catch {
        // Not a URL after all: no name from it.
      }
    }
  }
  return [...keys];
}

/** The post's reply or mention from elsewhere that goes by any of `keys`, if there is one. */
export async function sameItem(db: Db, postId: number, keys: string[]): Promise<number | undefined> {
  if (!keys.length) return undefined;
  for (const item of await itemStore(db).remoteRepliesOf(postId))
    if (crossKeys(item.remote_id, item.source_url).some((k) => keys.includes(k))) return item.id;
  return undefined;
}
