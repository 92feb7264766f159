/**
 * The audience's parts of the site export (`liner export all`): every subscription with its
 * consent record (what the person was promised, where and when they asked, when they confirmed)
 * as CSV, the format of the Subscribers page's export, and the lists themselves.
 */
import { stringify } from "csv-stringify/sync";
import type { AppContext } from "../lib/context.ts";
import type { ExportPart } from "../lib/module.ts";
import { audienceStore } from "./store.ts";
import { cell } from "./subscribers.ts";
import { subscribersStore } from "./subscribers-store.ts";

const PAGE = 500;

/** The columns of subscribers.csv: one row per subscription, the consent record in the last five. */
export const SUBSCRIBER_COLUMNS = [
  "email",
  "name",
  "list",
  "status",
  "requested_at",
  "confirmed_at",
  "unsubscribed_at",
  "source",
  "source_page",
  "promise_shown",
];

const csv = (rows: string[][], columns: string[]) =>
  stringify(rows, { header: true, columns, record_delimiter: "\r\n" });

/**
 * Subscriptions of every subscriber still on record, oldest subscriber first. Erased subscribers
 * are left out, as in the Subscribers page's export: they asked to be forgotten, and their rows
 * keep no address. Returns the CSV and how many people it lists.
 */
async function subscribersCsv(ctx: AppContext, onProgress: (done: number, total: number) => void) {
  const store = subscribersStore(ctx.db);
  const total = await store.count({});
  const people = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await store.page({}, PAGE, offset);
    people.push(...page);
    onProgress(people.length, Math.max(total, people.length));
    if (page.length < PAGE) break;
  }
  people.reverse();
  const rows: string[][] = [];
  let count = 0;
  for (let i = 0; i < people.length; i += PAGE) {
    const part = people.slice(i, i + PAGE).filter((p) => p.email !== null);
    count += part.length;
    const subs = await store.subscriptionsOf(part.map((p) => p.id));
    for (const p of part) {
      for (const s of subs.filter((x) => x.subscriber_id === p.id)) {
        rows.push([
          cell(p.email),
          cell(p.name),
          s.list_slug,
          s.status,
          s.requested_at,
          s.confirmed_at ?? "",
          s.unsubscribed_at ?? "",
          cell(s.source),
          cell(s.source_page),
          cell(s.promise_shown),
        ]);
      }
    }
  }
  return { text: csv(rows, SUBSCRIBER_COLUMNS), count };
}

const subscribers: ExportPart = {
  path: "subscribers.csv",
  describe:
    "Every subscriber's subscriptions as CSV, one row per person and list, with the consent record: status " +
    "(pending, confirmed, unsubscribed), when they asked (requested_at), confirmed and unsubscribed, how they " +
    "came (source: the form, an import, added by hand), the page they subscribed on (source_page) and the " +
    "promise they were shown (promise_shown). Erased subscribers are not in it. Cells that a spreadsheet " +
    "would run as a formula start with an apostrophe.",
  noun: ["subscriber", "subscribers"],
  async write(ctx, sink) {
    const { text, count } = await subscribersCsv(ctx, (done, total) => sink.progress(done, total));
    await sink.file("subscribers.csv", text);
    return count;
  },
};

const lists: ExportPart = {
  path: "lists.csv",
  describe: "The mailing lists as CSV: slug, name, the promise shown at signup today, public or not, created.",
  noun: ["list", "lists"],
  async write(ctx, sink) {
    const all = await audienceStore(ctx.db).allLists();
    const rows = all.map((l) => [l.slug, cell(l.name), cell(l.promise), l.is_public ? "yes" : "no", l.created_at]);
    await sink.file("lists.csv", csv(rows, ["slug", "name", "promise", "public", "created_at"]));
    return all.length;
  },
};

/** The audience's export parts. */
export const audienceExports: ExportPart[] = [lists, subscribers];
