/**
 * The post a fediverse account last liked, boosted or answered, remembered for a month: when
 * that account then follows the site, the follower list can say which post brought them.
 */
import { Temporal } from "@js-temporal/polyfill";
import type { AppContext } from "../lib/context.ts";
import { dbKvStore } from "./kv.ts";

const key = (actorUri: string) => ["liner", "last-post", actorUri] as const;
const MONTH_MS = 30 * 24 * 3600_000;

/** Remember that an account answered a post. */
export async function notePosted(ctx: AppContext, actorUri: string, postId: number): Promise<void> {
  await dbKvStore(ctx).set(key(actorUri), postId, { ttl: Temporal.Duration.from({ milliseconds: MONTH_MS }) as never });
}

/** The post an account last answered, within the month. */
export async function lastPostOf(ctx: AppContext, actorUri: string): Promise<number | null> {
  const v = await dbKvStore(ctx).get<number>(key(actorUri));
  return typeof v === "number" ? v : null;
}
