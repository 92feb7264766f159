/**
 * Reads kept for one page-cache generation. Whatever changes a post's conversation or comment
 * settings drops that post's pages (`conversationChanged`) or all pages (`contentChanged`), which
 * moves the generation, in this process at once and in the others within a second (their
 * freshness check): so a read kept until the generation moves is as fresh as the cached pages.
 * Renders of uncached pages then do not read the same rows again and again.
 */
import type { AppContext } from "../lib/context.ts";

const memos = new WeakMap<AppContext, { generation: number; values: Map<string, Promise<unknown>> }>();
/** Entries kept at most (a generation that lasts long on a big site). */
const MAX = 500;

/** `load()` once per generation for `key`. */
export function memo<T>(ctx: AppContext, key: string, load: () => Promise<T>): Promise<T> {
  let m = memos.get(ctx);
  if (!m || m.generation !== ctx.cache.generation) {
    m = { generation: ctx.cache.generation, values: new Map() };
    memos.set(ctx, m);
  }
  const hit = m.values.get(key) as Promise<T> | undefined;
  if (hit) return hit;
  if (m.values.size >= MAX) m.values.clear();
  const value = load();
  const values = m.values;
  values.set(key, value);
  value.catch(() => values.delete(key));
  return value;
}
