/**
 * The insights page's downloads, as CSV: the visits' pages kept (no addresses, no User-Agents) and
 * every outcome with what led to it and its worth. Cells a spreadsheet would run as a formula are
 * quoted.
 */
import { stringify } from "csv-stringify/sync";
import type { Context, Hono } from "hono";
import type { AppContext } from "../../lib/context.ts";
import { spreadsheetCell } from "../../lib/csv.ts";
import type { AppEnv } from "../../lib/http/env.ts";
import { insightStore, VIEW_COLUMNS } from "../store.ts";

const cell = spreadsheetCell;

const OUTCOME_COLUMNS = ["kind", "at", "post", "entry_path", "source", "pages", "note", "value", "currency"];

function csv(c: Context<AppEnv>, name: string, body: ReadableStream<string>) {
  c.header("Content-Type", "text/csv; charset=utf-8");
  c.header("Content-Disposition", `attachment; filename="${name}"`);
  return c.body(body.pipeThrough(new TextEncoderStream()));
}

/** Register the downloads on the admin app (behind the insights pages' owner check). */
export function exportRoutes(ctx: AppContext, app: Hono<AppEnv>): void {
  app.get("/insights/views.csv", (c) => {
    const store = insightStore(ctx.db);
    const head = VIEW_COLUMNS;
    return csv(
      c,
      "visits.csv",
      new ReadableStream<string>({
        async start(out) {
          out.enqueue(stringify([head]));
          for (let after = 0; ; ) {
            const rows = await store.viewsAfter(after, 5_000);
            if (!rows.length) break;
            out.enqueue(stringify(rows.map((r) => head.map((h) => cell((r as Record<string, unknown>)[h])))));
            after = rows[rows.length - 1].id;
          }
          out.close();
        },
      }),
    );
  });

  app.get("/insights/outcomes.csv", async (c) => {
    const rows = await insightStore(ctx.db).outcomesBetween("0000-01-01", "9999-12-31");
    const lines = rows.map((o) => [
      o.kind,
      o.at,
      o.slug ?? "",
      o.entry_path,
      o.source,
      (JSON.parse(o.pages) as string[]).join(" "),
      o.note,
      o.value_cents === null ? "" : (o.value_cents / 100).toFixed(2),
      o.currency ?? "",
    ]);
    const text = stringify([OUTCOME_COLUMNS, ...lines.map((l) => l.map(cell))]);
    return csv(
      c,
      "outcomes.csv",
      new ReadableStream<string>({
        start(out) {
          out.enqueue(text);
          out.close();
        },
      }),
    );
  });
}
