/**
 * Importing subscribers from a CSV file into one list. A dry run reports what would happen and
 * changes nothing. A real import is all or nothing: with bad rows it refuses (unless the user
 * chose to skip them), and it writes in one transaction. Imported subscriptions are confirmed
 * (the file is the record of a consent given elsewhere) with the source "imported from FILE on
 * DATE"; confirmed ones are left as they are, and someone who unsubscribed here is never
 * subscribed again by an import.
 */
import path from "node:path";
import type { Insertable } from "kysely";
import type { AppContext } from "../lib/context.ts";
import type { Db } from "../lib/db/index.ts";
import type { SubscriptionsTable } from "../lib/db/schema.ts";
import { inTransaction } from "../lib/db/transaction.ts";
import { ValidationError } from "../lib/errors.ts";
import { type ImportFormat, type ImportRow, parseSubscriberCsv, type RowNote } from "./csv-import.ts";
import { noSuchList } from "./service.ts";
import { audienceStore, type ListRow } from "./store.ts";
import { subscribersStore } from "./subscribers-store.ts";

export interface ImportInput {
  csv: string;
  fileName: string;
  list: string;
  dryRun: boolean;
  skipBad: boolean;
}

export interface ImportReport {
  format: ImportFormat;
  fileName: string;
  list: ListRow;
  dryRun: boolean;
  skipBad: boolean;
  /** True when bad rows stopped a real import: nothing was written. */
  refused: boolean;
  /** True when the rows were written. */
  imported: boolean;
  total: number;
  /** New subscriptions (new subscribers, or subscribers not yet on the list). */
  add: number;
  /** Pending here (never confirmed): confirmed by the import. */
  confirm: number;
  /** Already confirmed on the list: left as they are. */
  already: number;
  /** Unsubscribed from the list here: not subscribed again. */
  unsubscribed: (RowNote & { email: string })[];
  bad: RowNote[];
  duplicates: (RowNote & { email: string })[];
  notSubscribed: (RowNote & { email: string })[];
}

/** Dry-run or import a CSV file into a list; see the module comment for the rules. */
export async function importSubscribers(ctx: AppContext, input: ImportInput): Promise<ImportReport> {
  const list = input.list ? await audienceStore(ctx.db).listBySlug(input.list) : undefined;
  if (!list) {
    throw new ValidationError(input.list ? await noSuchList(ctx, input.list) : "Choose a list to import into.", {
      field: "list",
    });
  }
  const parsed = parseSubscriberCsv(input.csv);
  const fileName = path.basename(input.fileName.trim() || "file.csv").slice(0, 200);
  const now = ctx.now().toISOString();
  const refused = !input.dryRun && parsed.bad.length > 0 && !input.skipBad;
  const run = async (db: Db, write: boolean) => {
    const plan = await classify(db, list.id, parsed.rows);
    if (write) await apply(db, list, plan, `imported from ${fileName} on ${now.slice(0, 10)}`, now);
    return plan;
  };
  // A dry run or a refusal only reads; an import reads and writes in one transaction, so what
  // it reports is what it did.
  const plan = input.dryRun || refused ? await run(ctx.db, false) : await inTransaction(ctx.db, (tx) => run(tx, true));
  return {
    format: parsed.format,
    fileName,
    list,
    dryRun: input.dryRun,
    skipBad: input.skipBad,
    refused,
    imported: !input.dryRun && !refused,
    total: parsed.total,
    add: plan.add.length,
    confirm: plan.confirm.length,
    already: plan.already,
    unsubscribed: plan.unsubscribed,
    bad: parsed.bad,
    duplicates: parsed.duplicates,
    notSubscribed: parsed.notSubscribed,
  };
}

interface Plan {
  add: ImportRow[];
  confirm: { row: ImportRow; id: number }[];
  already: number;
  unsubscribed: (RowNote & { email: string })[];
}

async function classify(db: Db, listId: number, rows: ImportRow[]): Promise<Plan> {
  const store = subscribersStore(db);
  const ids = await store.idsByEmail(rows.map((r) => r.email));
  const subs = await store.onList(listId, [...ids.values()]);
  const plan: Plan = { add: [], confirm: [], already: 0, unsubscribed: [] };
  for (const row of rows) {
    const id = ids.get(row.email);
    const sub = id === undefined ? undefined : subs.get(id);
    if (!sub) plan.add.push(row);
    else if (sub.status === "pending") plan.confirm.push({ row, id: sub.id });
    else if (sub.status === "confirmed") plan.already++;
    else {
      const when = sub.unsubscribed_at ? ` on ${sub.unsubscribed_at.slice(0, 10)}` : "";
      plan.unsubscribed.push({ line: row.line, email: row.email, reason: `unsubscribed here${when}` });
    }
  }
  return plan;
}

async function apply(db: Db, list: ListRow, plan: Plan, source: string, now: string): Promise<void> {
  const store = subscribersStore(db);
  const known = await store.idsByEmail(plan.add.map((r) => r.email));
  const created = await store.insertSubscribers(
    plan.add.filter((r) => !known.has(r.email)),
    now,
  );
  const rows: Insertable<SubscriptionsTable>[] = plan.add.map((r) => {
    const at = r.confirmedAt ?? now;
    return {
      subscriber_id: (known.get(r.email) ?? created.get(r.email)) as number,
      list_id: list.id,
      status: "confirmed",
      // They never saw this site's signup form: the consent was given where the file came from.
      promise_shown: "",
      source,
      source_page: "",
      requested_at: at,
      confirmed_at: at,
      unsubscribed_at: null,
    };
  });
  await store.insertSubscriptions(rows);
  for (const { row, id } of plan.confirm) {
    await store.confirmImported(id, { source, promise_shown: "", confirmed_at: row.confirmedAt ?? now });
  }
}

/** The report as lines of plain text (the CLI prints these). */
export function reportLines(r: ImportReport): string[] {
  const would = r.imported ? "" : "would be ";
  const out = [
    `${r.fileName}: ${r.total} row${r.total === 1 ? "" : "s"} (${r.format}) for list ${r.list.slug}`,
    `  ${r.add} ${would}added, ${r.confirm} pending ${would}confirmed, ${r.already} already subscribed (left as they are)`,
  ];
  const section = (title: string, notes: RowNote[]) => {
    if (notes.length === 0) return;
    out.push(`  ${title}: ${notes.length}`);
    for (const n of notes.slice(0, 100)) out.push(`    line ${n.line}: ${n.reason}`);
    if (notes.length > 100) out.push(`    … and ${notes.length - 100} more`);
  };
  section(
    "unsubscribed here, not subscribed again",
    r.unsubscribed.map((n) => ({ ...n, reason: `${n.email}: ${n.reason}` })),
  );
  section(
    "not subscribed in the file, skipped",
    r.notSubscribed.map((n) => ({ ...n, reason: `${n.email}: ${n.reason}` })),
  );
  section("duplicates in the file, skipped", r.duplicates);
  section(r.imported ? "bad rows, skipped" : "bad rows", r.bad);
  if (r.refused)
    out.push(
      `Refused: ${r.bad.length} bad row${r.bad.length === 1 ? "" : "s"}; nothing was imported. Fix the file, or skip the bad rows.`,
    );
  else if (r.imported)
    out.push(`Imported: ${r.add + r.confirm} subscription${r.add + r.confirm === 1 ? "" : "s"} confirmed.`);
  else {
    out.push("Dry run: nothing was changed.");
    if (r.bad.length && !r.skipBad)
      out.push("An import would be refused because of the bad rows, unless you skip them.");
  }
  return out;
}
