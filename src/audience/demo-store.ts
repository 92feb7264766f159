/** SQL of the audience's part of onboarding: the demo list (find, remove, put back) and list counts. */
import type { Selectable } from "kysely";
import type { Db } from "../lib/db/index.ts";
import type { ListsTable } from "../lib/db/schema.ts";

export function audienceDemoStore(db: Db) {
  const k = db.kysely;
  return {
    /** The list with this slug, name and promise that nobody has subscribed to (not even unconfirmed). */
    unusedList: (v: { slug: string; name: string; promise: string }) =>
      k
        .selectFrom("lists")
        .selectAll()
        .where("slug", "=", v.slug)
        .where("name", "=", v.name)
        .where("promise", "=", v.promise)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom("subscriptions")
                .select("subscriptions.id")
                .whereRef("subscriptions.list_id", "=", "lists.id"),
            ),
          ),
        )
        .executeTakeFirst(),
    deleteList: (id: number) => k.deleteFrom("lists").where("id", "=", id).execute(),
    /** Put a removed list back with its id, unless a list has taken its slug meanwhile. */
    async restoreList(row: Selectable<ListsTable>): Promise<void> {
      const taken = await k.selectFrom("lists").select("id").where("slug", "=", row.slug).executeTakeFirst();
      if (!taken) await k.insertInto("lists").values(row).execute();
    },
    /** Lists, by slug, name and promise (checklist). */
    allLists: () => k.selectFrom("lists").select(["slug", "name", "promise"]).execute(),
  };
}
