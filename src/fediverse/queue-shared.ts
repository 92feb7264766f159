/**
 * What a fan-out's deliveries have in common, stored once. Fedify queues one message per inbox,
 * each carrying the whole activity and the actor's private keys (as JWK): for a post to 1,000
 * servers that was 1,000 copies of ~10 KB in the jobs table, each written, leased, read, parsed and
 * rewritten. Here an outbox message keeps only a reference (`sharedRef`, the SHA-256 of the parts);
 * the parts go once into the key–value store, where they expire after Fedify's longest hold (a
 * week for a server whose circuit is open) with a margin, and done jobs no longer keep private keys.
 */
import { createHash } from "node:crypto";
import type { KvStore } from "@fedify/fedify";
import { Temporal } from "@js-temporal/polyfill";

/** Longer than any message lives: retries give up after ~3 days, held messages after 7. */
const TTL = Temporal.Duration.from({ days: 30 }) as never;
/** Parts stored again after this long, so a long-lived process never relies on an expired copy. */
const RESTORE_AFTER_MS = 24 * 3600_000;
/** Parts kept parsed in memory: the fan-outs running now. */
const CACHED = 16;

type Message = Record<string, unknown>;
type Parts = { activity: unknown; keys: unknown };

/** Messages Fedify sends to one inbox (the only ones queued many times with the same parts). */
const isOutbox = (m: unknown): m is Message & Parts =>
  typeof m === "object" && m !== null && (m as Message).type === "outbox" && "activity" in m && "keys" in m;

const kvKey = (hash: string) => ["_liner", "shared", hash] as const;

/** Packing and unpacking of a context's messages (one per federation). */
export function sharedParts(kv: KvStore) {
  // Fedify builds a fan-out's messages around one activity object: hash it once.
  const hashes = new WeakMap<object, { keys: unknown; hash: string }>();
  const stored = new Map<string, { at: number; done: Promise<void> }>();
  const parsed = new Map<string, Promise<Parts>>();

  const hashOf = (parts: Parts): string => {
    const activity = parts.activity as object;
    const known = hashes.get(activity);
    if (known && known.keys === parts.keys) return known.hash;
    const hash = createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
    hashes.set(activity, { keys: parts.keys, hash });
    return hash;
  };

  const store = (hash: string, parts: Parts): Promise<void> => {
    const seen = stored.get(hash);
    if (seen && Date.now() - seen.at < RESTORE_AFTER_MS) return seen.done;
    const done = kv.set([...kvKey(hash)], parts, { ttl: TTL });
    stored.set(hash, { at: Date.now(), done });
    done.catch(() => stored.delete(hash));
    if (stored.size > 1000) stored.delete(stored.keys().next().value as string);
    return done;
  };

  return {
    /** The message to queue: an outbox message's activity and keys replaced by their reference. */
    async pack(message: unknown): Promise<unknown> {
      if (!isOutbox(message)) return message;
      const { activity, keys, ...rest } = message;
      const hash = hashOf({ activity, keys });
      await store(hash, { activity, keys });
      return { ...rest, sharedRef: hash };
    },
    /** The message Fedify queued, whole again. */
    async unpack(message: unknown): Promise<unknown> {
      const ref = (message as Message | null)?.sharedRef;
      if (typeof ref !== "string") return message;
      let parts = parsed.get(ref);
      if (!parts) {
        parts = kv.get<Parts>([...kvKey(ref)]).then((p) => {
          if (!p) throw new Error(`the activity of this delivery is no longer stored (${ref})`);
          return p;
        });
        parsed.set(ref, parts);
        parts.catch(() => parsed.delete(ref));
        if (parsed.size > CACHED) parsed.delete(parsed.keys().next().value as string);
      }
      const { sharedRef: _, ...rest } = message as Message;
      return { ...rest, ...(await parts) };
    },
  };
}
