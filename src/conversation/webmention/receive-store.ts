/** SQL for Webmentions received (`webmentions_in`): one row per source and target, its status. */
import type { Selectable, Updateable } from "kysely";
import type { Db } from "../../lib/db/index.ts";
import type { WebmentionsInTable } from "../../lib/db/schema.ts";

export type ReceivedRow = Selectable<WebmentionsInTable>;

export function receivedStore(db: Db) {
  const k = db.kysely;
  return {
    /** Record a (repeated) Webmention as queued; returns its row. */
    async upsert(source: string, target: string, postId: number, at: string): Promise<ReceivedRow> {
      const row = { status: "queued" as const, detail: "", received_at: at, post_id: postId };
      return k
        .insertInto("webmentions_in")
        .values({ source, target, ...row, checked_at: null, item_id: null })
        .onConflict((oc) => oc.columns(["source", "target"]).doUpdateSet(row))
        .returningAll()
        .executeTakeFirstOrThrow();
    },
    /** `upsert` for several (distinct) pairs in one statement; their ids in the same order. */
    async upsertMany(rows: { source: string; target: string; postId: number }[], at: string): Promise<number[]> {
      const out = await k
        .insertInto("webmentions_in")
        .values(
          rows.map((r) => ({
            source: r.source,
            target: r.target,
            post_id: r.postId,
            status: "queued" as const,
            detail: "",
            received_at: at,
            checked_at: null,
            item_id: null,
          })),
        )
        .onConflict((oc) =>
          oc.columns(["source", "target"]).doUpdateSet((eb) => ({
            status: "queued",
            detail: "",
            received_at: at,
            post_id: eb.ref("excluded.post_id"),
          })),
        )
        .returning(["id", "source", "target"])
        .execute();
      const ids = new Map(out.map((r) => [`${r.source}\n${r.target}`, r.id]));
      return rows.map((r) => ids.get(`${r.source}\n${r.target}`) ?? 0);
    },
    byId: (id: number) => k.selectFrom("webmentions_in").selectAll().where("id", "=", id).executeTakeFirst(),
    async update(id: number, patch: Updateable<WebmentionsInTable>): Promise<void> {
      await k.updateTable("webmentions_in").set(patch).where("id", "=", id).execute();
    },
    /** How many are in each status (the benchmark's verification count). */
    async counts(): Promise<Record<string, number>> {
      const rows = await k
        .selectFrom("webmentions_in")
        .select(["status", (eb) => eb.fn.countAll<string | number>().as("n")])
        .groupBy("status")
        .execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
    },
  };
}
