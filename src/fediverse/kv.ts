/**
 * Fedify's `KvStore` on our database (`@fedify/postgres` exists only for Fedify 1.x), so that every
 * web process and worker shares Fedify's caches and records, on SQLite and on PostgreSQL alike.
 *
 * Keys are arrays of strings, stored as their JSON text; a prefix [a, b] lists the keys whose text
 * starts with `["a","b"` followed by `]` (the key itself) or `,` (longer keys). Values are JSON.
 * A TTL becomes an expiry time; an expired entry reads as absent and is swept now and then.
 */
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from "@fedify/fedify";
import type { AppContext } from "../lib/context.ts";
import { withHotKeys } from "./kv-hot.ts";
import { kvStore } from "./kv-store.ts";

type Duration = NonNullable<KvStoreSetOptions["ttl"]>;

/** Sweep expired entries once every this many writes. */
const SWEEP_EVERY = 500;

const keyText = (key: KvKey) => JSON.stringify(key);
/** A value as stored: undefined (which JSON cannot carry) is not a value. */
const valueText = (value: unknown) => JSON.stringify(value ?? null);

/** Fedify's hot records in memory, one map per database (so per site) in this process. */
const hotMemory = new WeakMap<object, Map<string, { value: unknown; at: number }>>();

/** The KvStore of a context. */
export function dbKvStore(ctx: Pick<AppContext, "db" | "now">): KvStore {
  let memory = hotMemory.get(ctx.db);
  if (!memory) {
    memory = new Map();
    hotMemory.set(ctx.db, memory);
  }
  return withHotKeys(plainKvStore(ctx), memory);
}

function plainKvStore(ctx: Pick<AppContext, "db" | "now">): KvStore {
  const store = kvStore(ctx.db);
  const now = () => ctx.now().toISOString();
  const expiry = (ttl: Duration | undefined) =>
    ttl ? new Date(ctx.now().getTime() + ttl.total({ unit: "millisecond" })).toISOString() : null;
  let writes = 0;
  const wrote = async () => {
    if (++writes % SWEEP_EVERY === 0) await store.sweep(now());
  };
  return {
    async get<T = unknown>(key: KvKey): Promise<T | undefined> {
      const row = await store.get(keyText(key), now());
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key, value, options) {
      await store.set(keyText(key), valueText(value), expiry(options?.ttl));
      await wrote();
    },
    async delete(key) {
      await store.delete(keyText(key));
    },
    async cas(key, expectedValue, newValue, options) {
      const expected = expectedValue === undefined ? null : valueText(expectedValue);
      const ok = await store.swap(keyText(key), expected, valueText(newValue), expiry(options?.ttl), now());
      if (ok) await wrote();
      return ok;
    },
    async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
      const text = prefix ? keyText(prefix).slice(0, -1) : "[";
      for (const row of await store.list(text, now())) {
        const rest = row.key.slice(text.length);
        // `["a","b"` must not match `["a","bc"]`: the prefix ends at a whole part.
        if (prefix && rest !== "]" && !rest.startsWith(",")) continue;
        yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) };
      }
    },
  };
}
