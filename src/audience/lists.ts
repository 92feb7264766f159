/**
 * Managing lists (the admin's Lists page and `liner lists list`): renaming, the promise, public or
 * private, and what a send to some lists would reach. Creating a list is `createList` in service.ts.
 * The slug never changes: schedules, links and scripts name lists by it.
 */
import { contentChanged } from "../content/index.ts";
import type { AppContext } from "../lib/context.ts";
import { NotFoundError } from "../lib/errors.ts";
import { checkListText, requireLists } from "./service.ts";
import { audienceStore, type ListRow } from "./store.ts";

/** What the owner may change of a list. */
export interface ListEdit {
  name: string;
  promise: string;
  isPublic: boolean;
}

/** The list with this id, or NotFoundError. */
export async function listById(ctx: AppContext, id: number): Promise<ListRow> {
  const list = await audienceStore(ctx.db).listById(id);
  if (!list) throw new NotFoundError(`There is no list ${id}.`);
  return list;
}

/** Rename a list, change its promise, make it public or private. */
export async function updateList(ctx: AppContext, id: number, edit: ListEdit): Promise<ListRow> {
  const list = await listById(ctx, id);
  const { name, promise } = checkListText(edit.name, edit.promise);
  const is_public = edit.isPublic ? 1 : 0;
  await audienceStore(ctx.db).updateList(id, { name, promise, is_public });
  // The subscribe form after every post and at /subscribe shows public lists with their promise.
  if (list.is_public || is_public) await contentChanged(ctx);
  return { ...list, name, promise, is_public };
}

/** A send about to go out: its lists, each with its confirmed count, and the distinct recipients. */
export interface SendTargets {
  lists: (ListRow & { confirmed: number })[];
  /** Confirmed, not erased subscribers of any of the lists, counted once. */
  recipients: number;
}

/** The lists of these slugs (a ValidationError under `field` when none or unknown) and who they reach. */
export async function sendTargets(ctx: AppContext, slugs: string[], field = "lists"): Promise<SendTargets> {
  const lists = await requireLists(ctx, [...new Set(slugs)], field);
  const store = audienceStore(ctx.db);
  const counts = await store.confirmedCounts();
  return {
    lists: lists.map((l) => ({ ...l, confirmed: counts.get(l.id) ?? 0 })),
    recipients: await store.recipientCount(lists.map((l) => l.id)),
  };
}

/** Every list with its number of confirmed subscribers (for the send forms' checkboxes). */
export async function listsWithConfirmed(ctx: AppContext): Promise<(ListRow & { confirmed: number })[]> {
  const store = audienceStore(ctx.db);
  const [lists, counts] = await Promise.all([store.allLists(), store.confirmedCounts()]);
  return lists.map((l) => ({ ...l, confirmed: counts.get(l.id) ?? 0 }));
}

/** "Send to 12 subscribers of New articles and Team?" */
export function sendQuestion(t: SendTargets): string {
  const names = t.lists.map((l) => l.name);
  const joined = names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}` : names[0];
  return `Send to ${t.recipients} ${t.recipients === 1 ? "subscriber" : "subscribers"} of ${joined}?`;
}

/** The warning shown when some chosen lists have no confirmed subscribers, or "" when all do. */
export function emptyListsWarning(lists: { name: string; confirmed: number }[]): string {
  const empty = lists.filter((l) => l.confirmed === 0).map((l) => `“${l.name}”`);
  if (empty.length === 0) return "";
  return empty.length === 1
    ? `${empty[0]} has no confirmed subscribers: nobody on it would get this.`
    : `${empty.join(", ")} have no confirmed subscribers: nobody on them would get this.`;
}
