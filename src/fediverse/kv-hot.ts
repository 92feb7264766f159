/**
 * Fedify reads two of its records around every delivery: the signature spec an origin accepts
 * (and writes it back after each success, unchanged) and the origin's circuit-breaker state (read
 * twice; absent while the server answers). That was three reads and a write in the database per
 * POST. This process keeps those records in memory for a few seconds: a value written by another
 * process is seen within that time, which is all either record needs (a stale spec costs one more
 * knock; a stale circuit a few more tries). A failed compare-and-swap forgets the entry, so
 * Fedify's retry reads the database.
 */
import type { KvKey, KvStore } from "@fedify/fedify";

/** Key prefixes kept in memory, as JSON text without the closing bracket. */
const HOT = ['["_fedify","httpMessageSignaturesSpec",', '["_fedify","circuit",'];
const FRESH_MS = 5_000;
const MAX = 10_000;

const isHot = (text: string) => HOT.some((p) => text.startsWith(p));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

interface Entry {
  value: unknown;
  at: number;
}

/** The store with Fedify's per-origin records read from memory when fresh. */
export function withHotKeys(kv: KvStore, memory: Map<string, Entry>, clock: () => number = Date.now): KvStore {
  const remember = (text: string, value: unknown) => {
    if (memory.size >= MAX) memory.clear();
    memory.set(text, { value, at: clock() });
  };
  const fresh = (text: string) => {
    const e = memory.get(text);
    return e && clock() - e.at < FRESH_MS ? e : undefined;
  };
  return {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const text = JSON.stringify(key);
      if (!isHot(text)) return kv.get<T>(key);
      const e = fresh(text);
      if (e) return e.value as T | undefined;
      const value = await kv.get<T>(key);
      remember(text, value);
      return value;
    },
    async set(key, value, options) {
      const text = JSON.stringify(key);
      const hot = isHot(text) && !options?.ttl;
      // The same value again changes nothing (Fedify writes the spec back after each success).
      const known = hot ? fresh(text) : undefined;
      if (known && same(known.value, value)) return;
      await kv.set(key, value, options);
      if (hot) remember(text, value);
      else memory.delete(text);
    },
    async delete(key) {
      memory.delete(JSON.stringify(key));
      await kv.delete(key);
    },
    async cas(key, expected, value, options) {
      const text = JSON.stringify(key);
      memory.delete(text);
      return (await kv.cas?.(key, expected, value, options)) ?? false;
    },
    list: (prefix) => kv.list(prefix),
  };
}
