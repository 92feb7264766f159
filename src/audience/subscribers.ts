/**
 * The subscribers admin: find subscribers, counts per list, one subscriber's history (every
 * consent and every email), adding by hand, erasure and the CSV export. Erasure removes the
 * address and name everywhere we keep them for the audience (subscriber, outbox, suppression)
 * but keeps the rows, so counts and send statistics still add up; an erased subscriber shows
 * as "erased".
 */

import { stringify } from "csv-stringify/sync";
import type { AppContext } from "../lib/context.ts";
import { spreadsheetCell } from "../lib/csv.ts";
import type { SubscriptionStatus } from "../lib/db/schema.ts";
import { transaction } from "../lib/db/transaction.ts";
import { HttpError, NotFoundError, ValidationError } from "../lib/errors.ts";
import { eraseRecipient, mailOfSubscriber, normalizeEmail } from "../mail/index.ts";
import { addSubscriber, requireList } from "./service.ts";
import { audienceStore, type ListRow } from "./store.ts";
import { type SubscriberFilter, subscribersStore } from "./subscribers-store.ts";

export const PAGE_SIZE = 50;
export const STATUSES = ["confirmed", "pending", "unsubscribed", "erased"] as const;
export type StatusFilter = (typeof STATUSES)[number];

export interface ListCounts {
  list: ListRow;
  confirmed: number;
  pending: number;
  unsubscribed: number;
  erased: number;
}

/** Per list: confirmed, pending and unsubscribed subscriptions of live subscribers, and erased ones. */
export async function listCounts(ctx: AppContext): Promise<ListCounts[]> {
  const [lists, rows] = await Promise.all([audienceStore(ctx.db).allLists(), subscribersStore(ctx.db).countsByList()]);
  return lists.map((list) => {
    const c: ListCounts = { list, confirmed: 0, pending: 0, unsubscribed: 0, erased: 0 };
    for (const r of rows.filter((x) => x.list_id === list.id)) {
      c[r.status] += Number(r.n) - Number(r.erased);
      c.erased += Number(r.erased);
    }
    return c;
  });
}

export interface SearchInput {
  q?: string;
  list?: string;
  status?: string;
  page?: number;
}

/** One page of subscribers matching a search, each with their subscriptions. */
export async function searchSubscribers(ctx: AppContext, input: SearchInput) {
  const filter: SubscriberFilter = {};
  if (input.q?.trim()) filter.q = input.q.trim().slice(0, 200);
  if (input.list) {
    filter.listId = (await requireList(ctx, input.list)).id;
  }
  if (input.status) {
    if (!(STATUSES as readonly string[]).includes(input.status)) {
      throw new ValidationError(`Status must be one of ${STATUSES.join(", ")}.`, { field: "status" });
    }
    filter.status = input.status as StatusFilter;
  }
  const store = subscribersStore(ctx.db);
  const total = await store.count(filter);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const people = await store.page(filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const subs = await store.subscriptionsOf(people.map((p) => p.id));
  const rows = people.map((p) => ({ ...p, subscriptions: subs.filter((s) => s.subscriber_id === p.id) }));
  return { rows, total, page, pages };
}

/** A subscriber with every consent (list, promise as shown, source, times) and the mail they got. */
export async function subscriberHistory(ctx: AppContext, id: number) {
  const subscriber = await audienceStore(ctx.db).subscriberById(id);
  if (!subscriber) throw new NotFoundError("There is no such subscriber.");
  const [consents, emails] = await Promise.all([
    subscribersStore(ctx.db).subscriptionsOf([id]),
    mailOfSubscriber(ctx, id),
  ]);
  return { subscriber, consents, emails };
}

/**
 * Erase a subscriber: address → NULL, name → "", erased_at set, their subscriptions ended, their
 * outbox rows withdrawn and the address in them replaced, their suppression removed. One
 * transaction: either all of it happens or none.
 */
export async function eraseSubscriber(ctx: AppContext, id: number): Promise<{ withdrawn: number }> {
  const subscriber = await audienceStore(ctx.db).subscriberById(id);
  if (!subscriber) throw new NotFoundError("There is no such subscriber.");
  if (subscriber.erased_at) return { withdrawn: 0 };
  const at = ctx.now().toISOString();
  return transaction(ctx, async (tx) => {
    const withdrawn = await eraseRecipient(tx, id, subscriber.email);
    await subscribersStore(tx.db).erase(id, at);
    // Other modules may hold the same address (event registrations, inquiries): each erases its own.
    if (subscriber.email) await tx.host.erase(tx, subscriber.email);
    return { withdrawn };
  });
}

/**
 * Add an address by hand. Unlike the CLI's `subscribers add` this refuses to resubscribe
 * someone who unsubscribed (they can subscribe again themselves) and leaves a confirmed
 * subscription alone instead of asking for a new confirmation.
 */
export async function addByHand(
  ctx: AppContext,
  input: { email: string; list: string; confirmed: boolean; by: string },
): Promise<{ status: SubscriptionStatus | "already" }> {
  const email = normalizeEmail(input.email);
  const store = audienceStore(ctx.db);
  const list = await requireList(ctx, input.list);
  const existing = (await subscribersStore(ctx.db).idsByEmail([email])).get(email);
  const sub = existing === undefined ? undefined : await store.subscription(existing, list.id);
  if (sub?.status === "confirmed") return { status: "already" };
  if (sub?.status === "unsubscribed") {
    throw new HttpError(
      409,
      `${email} unsubscribed from ${list.name}, so it is not added again. They can subscribe again themselves.`,
    );
  }
  const r = await addSubscriber(ctx, {
    email,
    list: list.slug,
    confirmed: input.confirmed,
    source: `added by ${input.by}`,
  });
  return { status: r.status };
}
/** Spreadsheet-safe cells (lib/csv.ts), under the name this module's exports use. */
/** Spreadsheets run a cell that starts with = + - @ as a formula: make it text. */
export const cell = spreadsheetCell;

/** The CSV export of a list (erased subscribers left out). */
export async function exportCsv(ctx: AppContext, slug: string): Promise<{ list: ListRow; csv: string }> {
  if (!slug) throw new ValidationError("Choose the list to export (?list=SLUG).", { field: "list" });
  const list = await requireList(ctx, slug);
  const rows = await subscribersStore(ctx.db).exportRows(list.id);
  const csv = stringify(
    rows.map((r) => [cell(r.email), cell(r.name), r.status, cell(r.source), r.requested_at, r.confirmed_at ?? ""]),
    {
      header: true,
      columns: ["email", "name", "status", "source", "requested_at", "confirmed_at"],
      record_delimiter: "\r\n",
    },
  );
  return { list, csv };
}
