/** The reader's item on the admin home's first-run checklist: "Follow five sources". */
import type { AppContext } from "../../lib/context.ts";
import type { ChecklistItem } from "../../lib/module.ts";
import { sourceStore } from "./store.ts";

/** How many sources make a reader worth opening every day. */
const GOAL = 5;

export async function readerChecklist(ctx: AppContext): Promise<ChecklistItem[]> {
  const n = await sourceStore(ctx.db).count();
  return [
    {
      id: "sources",
      label: "Follow five sources",
      href: "/admin/sources",
      done: n >= GOAL,
      detail: n < GOAL ? `${n} of ${GOAL} followed.` : undefined,
      order: 60,
    },
  ];
}
