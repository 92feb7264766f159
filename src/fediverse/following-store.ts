/** SQL of the reader's follows that relations-store.ts does not have: a follow by its activity's id. */
import type { Db } from "../lib/db/index.ts";

/** Reads of `fedi_following` by our Follow activity's id. */
export function followActivityStore(db: Db) {
  return {
    /** The account our Follow with this id went to, while we still follow it. */
    byFollowId: (followId: string) =>
      db.kysely.selectFrom("fedi_following").selectAll().where("follow_id", "=", followId).executeTakeFirst(),
  };
}
