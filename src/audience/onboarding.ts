/**
 * The audience's part of the first-run onboarding: "Add a list" on the admin home's checklist,
 * and the demo list, removed with the rest of the demo content (only while nobody has subscribed
 * to it: a list with subscribers is the owner's now) and put back by undo.
 */
import type { Selectable } from "kysely";
import type { AppContext } from "../lib/context.ts";
import type { ListsTable } from "../lib/db/schema.ts";
import type { ChecklistItem, DemoContent } from "../lib/module.ts";
import { audienceDemoStore } from "./demo-store.ts";
import { DEMO_LIST } from "./service.ts";

const isDemo = (l: { slug: string; name: string; promise: string }) =>
  l.slug === DEMO_LIST.slug && l.name === DEMO_LIST.name && l.promise === DEMO_LIST.promise;

/** "Add a list": done once there is a list other than the demo's as it came. */
export async function audienceChecklist(ctx: AppContext): Promise<ChecklistItem[]> {
  const lists = await audienceDemoStore(ctx.db).allLists();
  return [{ id: "list", label: "Add a list", href: "/admin/lists", done: lists.some((l) => !isDemo(l)), order: 40 }];
}

/** The demo list: its row, for undo. */
export const audienceDemo: DemoContent = {
  async remove(ctx) {
    const store = audienceDemoStore(ctx.db);
    const list = await store.unusedList(DEMO_LIST);
    if (!list) return undefined;
    await store.deleteList(list.id);
    return { list };
  },
  async restore(ctx, snapshot) {
    const { list } = snapshot as { list: Selectable<ListsTable> };
    await audienceDemoStore(ctx.db).restoreList(list);
  },
};
