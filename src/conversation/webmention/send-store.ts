/**
 * The SQL of Webmentions sent: `webmentions_out`, one row per post and target (unique), so a
 * job that runs twice updates its row instead of adding one. Rows outlive their post (no foreign
 * key): a deleted post's old targets are found here to tell them it is gone.
 */
import type { Selectable } from "kysely";
import type { Db } from "../../lib/db/index.ts";
import type { WebmentionOutStatus, WebmentionsOutTable } from "../../lib/db/tables/conversation.ts";

export type WebmentionOutRow = Selectable<WebmentionsOutTable>;

/** What one attempt found out about a target. */
export interface SendOutcome {
  status: WebmentionOutStatus;
  endpoint: string;
  detail: string;
}

/** The store of sent Webmentions on a database handle. */
export function sendStore(db: Db) {
  const k = db.kysely;
  return {
    /** A post's rows, linked targets first, then by target. */
    async ofPost(postId: number): Promise<WebmentionOutRow[]> {
      return k
        .selectFrom("webmentions_out")
        .selectAll()
        .where("post_id", "=", postId)
        .orderBy("linked", "desc")
        .orderBy("target")
        .execute();
    },

    /** The row of one post and target. */
    async one(postId: number, target: string): Promise<WebmentionOutRow | undefined> {
      return k
        .selectFrom("webmentions_out")
        .selectAll()
        .where("post_id", "=", postId)
        .where("target", "=", target)
        .executeTakeFirst();
    },

    /**
     * Mark a target as about to be told (pending), with the source it will be told of and whether
     * the post still links to it; creates the row the first time.
     */
    async queue(postId: number, source: string, target: string, linked: boolean, now: string): Promise<void> {
      await k
        .insertInto("webmentions_out")
        .values({ post_id: postId, source, target, status: "pending", linked: linked ? 1 : 0, updated_at: now })
        .onConflict((oc) =>
          oc
            .columns(["post_id", "target"])
            .doUpdateSet({ source, status: "pending", linked: linked ? 1 : 0, updated_at: now }),
        )
        .execute();
    },

    /** Record the outcome of an attempt (one more attempt). */
    async record(postId: number, target: string, outcome: SendOutcome, now: string): Promise<void> {
      await k
        .updateTable("webmentions_out")
        .set((eb) => ({
          status: outcome.status,
          endpoint: outcome.endpoint,
          detail: outcome.detail.slice(0, 500),
          attempts: eb("attempts", "+", 1),
          updated_at: now,
        }))
        .where("post_id", "=", postId)
        .where("target", "=", target)
        .execute();
    },
  };
}
